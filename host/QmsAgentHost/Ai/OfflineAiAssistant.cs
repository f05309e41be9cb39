using QmsAgentHost.Sdk.Ai;

namespace QmsAgentHost.Ai;

/// <summary>
/// The assistant when no language model is configured: every request says so, and the plugin takes
/// its deterministic path. The offline mode's real work (embeddings, the planner, extractive answers)
/// needs no generation.
/// </summary>
internal sealed class OfflineAiAssistant : IAiAssistant
{
    internal const string Reason = "No language model is configured for this organization (offline mode).";

    public bool IsAvailable => false;

    public Task<AiResult<string>> GenerateAsync(AiPrompt prompt, CancellationToken cancellationToken = default) =>
        Task.FromResult(AiResult.Offline<string>(Reason));

    public Task<AiResult<T>> ExtractAsync<T>(AiPrompt prompt, CancellationToken cancellationToken = default) where T : class =>
        Task.FromResult(AiResult.Offline<T>(Reason));
}

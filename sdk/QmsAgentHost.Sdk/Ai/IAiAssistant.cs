namespace QmsAgentHost.Sdk.Ai;

/// <summary>
/// Optional help from a language model, for generation and structured extraction. In offline mode
/// (no model configured for the tenant, or the provider down) every call says so honestly through
/// <see cref="AiResult{T}.Succeeded"/> = false, and the plugin falls back to its deterministic path.
/// </summary>
public interface IAiAssistant
{
    /// <summary>True when a model is configured for the current tenant and its provider is not known to be down.</summary>
    bool IsAvailable { get; }

    /// <summary>Generates text following <paramref name="prompt"/>.</summary>
    Task<AiResult<string>> GenerateAsync(AiPrompt prompt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extracts a <typeparamref name="T"/> (a record of simple types) with the model's structured output,
    /// validated against <typeparamref name="T"/>'s JSON schema; a reply that does not match fails.
    /// </summary>
    Task<AiResult<T>> ExtractAsync<T>(AiPrompt prompt, CancellationToken cancellationToken = default) where T : class;
}

/// <summary>
/// What to ask. <see cref="Instructions"/> come from the plugin; <see cref="Data"/> (a document's text,
/// a transcript, a tool's result) is given to the model as delimited data, never as instructions.
/// </summary>
public sealed record AiPrompt(string Instructions, IReadOnlyList<string> Data)
{
    /// <summary>Caps the reply's length in tokens.</summary>
    public int MaxOutputTokens { get; init; } = 2_000;
}

/// <summary>The outcome of an <see cref="IAiAssistant"/> call.</summary>
/// <param name="Succeeded">False offline, when the provider failed, or when the reply did not validate.</param>
/// <param name="Value">The result when <paramref name="Succeeded"/>.</param>
/// <param name="Reason">Why it did not succeed, in words a user can read.</param>
/// <param name="Provider"><c>Offline</c>, <c>OpenAI</c>, <c>AzureOpenAI</c>, <c>OpenAICompatible</c>.</param>
/// <param name="Model">The model used, or <c>offline</c>.</param>
public sealed record AiResult<T>(bool Succeeded, T? Value, string? Reason, string Provider, string Model);

/// <summary>Makes <see cref="AiResult{T}"/> values.</summary>
public static class AiResult
{
    /// <summary>The offline answer: nothing was generated, and why.</summary>
    public static AiResult<T> Offline<T>(string reason) => new(false, default, reason, "Offline", "offline");
}

using System.Text.Json;
using Microsoft.SemanticKernel;

namespace QmsAgentHost.Plugins;

/// <summary>Who asked for a function call.</summary>
public enum FunctionCallOrigin
{
    /// <summary>A person or program named the function: the invoke endpoint, a workflow step, a job. Runs at once.</summary>
    Explicit,

    /// <summary>The planner (offline or a model) chose it. A data-changing call stops for the user's confirmation.</summary>
    Planner,

    /// <summary>The user confirmed a pending action the planner proposed: runs with exactly the stored arguments.</summary>
    Confirmed,
}

/// <summary>
/// What the invocation filters need to know about a call besides the function and its arguments;
/// carried in <see cref="Kernel.Data"/> of the kernel the call runs in.
/// </summary>
public sealed record FunctionCallInfo(FunctionCallOrigin Origin)
{
    public const string KernelDataKey = "qms.call";

    public static FunctionCallInfo Explicit { get; } = new(FunctionCallOrigin.Explicit);

    /// <summary><c>Offline</c>, <c>OpenAI</c>, <c>AzureOpenAI</c> or <c>OpenAICompatible</c>, for the audit trail.</summary>
    public string Provider { get; init; } = "Offline";

    /// <summary>The model that chose the call, or <c>offline</c>.</summary>
    public string Model { get; init; } = "offline";

    /// <summary>The conversation the call belongs to, for planner and confirmed calls.</summary>
    public Guid? ConversationId { get; init; }

    /// <summary>The pending action being confirmed.</summary>
    public Guid? ActionId { get; init; }

    /// <summary>True when an AI (the planner or a model) made or proposed the call: every such call is audited.</summary>
    public bool IsAi => Origin != FunctionCallOrigin.Explicit;

    internal static FunctionCallInfo Of(Kernel kernel) =>
        kernel.Data.TryGetValue(KernelDataKey, out var value) && value is FunctionCallInfo info ? info : Explicit;
}

/// <summary>The result of a data-changing call the planner proposed: nothing ran; the user must confirm it.</summary>
/// <param name="ActionId">The pending action to confirm or deny.</param>
/// <param name="Summary">What would happen, in words.</param>
public sealed record PendingConfirmation(Guid ActionId, string Summary)
{
    public string Status => "pending-confirmation";

    public string Message => $"Nothing was changed yet: the user must confirm this action ({Summary}).";
}

/// <summary>Persists the calls the confirmation filter stops, with their exact arguments (Planning implements it).</summary>
public interface IPendingActionStore
{
    Task<PendingConfirmation> ProposeAsync(
        FunctionCallInfo call, PluginFunction function, IReadOnlyDictionary<string, JsonElement> arguments, CancellationToken cancellationToken);
}

/// <summary>How a call through the runtime ended: its result, or a pending confirmation.</summary>
public sealed record FunctionOutcome(JsonElement? Result, PendingConfirmation? Pending)
{
    public bool IsPending => Pending is not null;
}

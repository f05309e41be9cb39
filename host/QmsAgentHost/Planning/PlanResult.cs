using System.Text.Json;
using System.Text.Json.Serialization;

namespace QmsAgentHost.Planning;

/// <summary>What the planner would do with a request. The wire shape of <c>POST /api/chat/plan</c>: keep it exactly.</summary>
/// <param name="Plugin">The plugin id as <c>/api/plugins</c> lists it, or null when nothing fits.</param>
/// <param name="Function">The function name as <c>/api/plugins</c> lists it, or null when nothing fits.</param>
/// <param name="Arguments">The arguments found, by the function's parameter names.</param>
/// <param name="Confidence">0 to 1.</param>
/// <param name="Missing">Required parameters the request did not give.</param>
/// <param name="Alternatives">The next best functions.</param>
public sealed record PlanResult(
    string? Plugin, string? Function, IReadOnlyDictionary<string, JsonElement> Arguments, double Confidence,
    IReadOnlyList<string> Missing, IReadOnlyList<PlanAlternative> Alternatives)
{
    /// <summary>How the planner decided; not part of the wire contract.</summary>
    [JsonIgnore]
    public PlanDecision Decision { get; init; }

    /// <summary>Why nothing fits, when it does not.</summary>
    [JsonIgnore]
    public string? Reason { get; init; }

    public static PlanResult Nothing(PlanDecision decision, string reason, IReadOnlyList<PlanAlternative> alternatives) =>
        new(null, null, new Dictionary<string, JsonElement>(), 0, [], alternatives) { Decision = decision, Reason = reason };
}

/// <summary>A function the planner ranked below the chosen one.</summary>
public sealed record PlanAlternative(string Plugin, string Function, double Confidence);

/// <summary>The planner's verdict.</summary>
public enum PlanDecision
{
    /// <summary>One function clearly fits; its required arguments are all there.</summary>
    Call,

    /// <summary>One function fits but required arguments are missing: ask for them.</summary>
    AskForArguments,

    /// <summary>Several functions score close: offer them.</summary>
    Unsure,

    /// <summary>The request asks for something no function does (delete, undo, sync), or nothing is near.</summary>
    NothingFits,
}

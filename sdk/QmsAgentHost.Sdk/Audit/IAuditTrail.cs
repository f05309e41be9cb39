using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Sdk.Audit;

/// <summary>
/// The tenant's append-only, hash-chained audit trail. Every data-changing function records what
/// it changed, in the same <see cref="TenantSession"/> as the change, so the event and the change
/// commit or roll back together.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Appends an event for the current user and tenant inside <paramref name="session"/>.</summary>
    /// <returns>The event's sequence number in the tenant's chain and its hash.</returns>
    Task<AuditReceipt> RecordAsync(TenantSession session, AuditEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>What happened. Before and after are serialized to JSON.</summary>
/// <param name="Action">A dotted verb, e.g. <c>ncm.created</c>.</param>
/// <param name="EntityType">The kind of record, e.g. <c>ncm</c>.</param>
/// <param name="EntityId">The record's id or number.</param>
public sealed record AuditEntry(string Action, string EntityType, string? EntityId)
{
    /// <summary>The record before the change (null for a creation).</summary>
    public object? Before { get; init; }

    /// <summary>The record after the change (null for a deletion).</summary>
    public object? After { get; init; }

    /// <summary>Why, in the user's words, when given.</summary>
    public string? Reason { get; init; }

    /// <summary>Set when an AI model or the planner made the call.</summary>
    public AiCallDetails? Ai { get; init; }
}

/// <summary>The AI side of an audited action.</summary>
/// <param name="Provider">Offline, OpenAI, AzureOpenAI, ...</param>
/// <param name="Model">The model name, or <c>offline</c>.</param>
/// <param name="Function">The plugin function called, <c>plugin.function</c>.</param>
/// <param name="Arguments">The arguments it was called with.</param>
/// <param name="Result">What it returned.</param>
public sealed record AiCallDetails(string Provider, string Model, string Function, object? Arguments, object? Result);

/// <summary>Where an event landed in the tenant's chain.</summary>
/// <param name="Sequence">1-based position in the tenant's chain.</param>
/// <param name="Hash">Hex SHA-256 of the event's canonical form.</param>
public sealed record AuditReceipt(long Sequence, string Hash);

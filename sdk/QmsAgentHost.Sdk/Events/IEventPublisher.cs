using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Sdk.Events;

/// <summary>
/// Publishes a domain event (an NCM created, a CAPA overdue, a quote approved) for the current tenant.
/// The event is written in the transaction of the change it reports, so it exists exactly when
/// that change commits; the host then delivers it to the tenant's webhook subscriptions and
/// the console (a durable outbox).
/// </summary>
public interface IEventPublisher
{
    /// <summary>Records the event in <paramref name="session"/>.</summary>
    /// <param name="session">The transaction of the change the event reports.</param>
    /// <param name="eventType">Dotted, lower case, prefixed with the plugin id: <c>ncm.created</c>.</param>
    /// <param name="subject">The record the event is about, e.g. <c>NCM-2026-0042</c>.</param>
    /// <param name="payload">Serialized to JSON as the event's data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The event's id.</returns>
    Task<Guid> PublishAsync(TenantSession session, string eventType, string? subject, object payload, CancellationToken cancellationToken = default);
}

/// <summary>An event type a plugin may publish, listed for webhook subscriptions.</summary>
/// <param name="Type">Dotted, lower case, prefixed with the plugin id: <c>ncm.created</c>.</param>
/// <param name="Description">When it is published.</param>
public sealed record EventDefinition(string Type, string Description);

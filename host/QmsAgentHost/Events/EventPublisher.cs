using NpgsqlTypes;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Events;
using QmsAgentHost.Sdk.Tenancy;

namespace QmsAgentHost.Events;

/// <summary>Writes a domain event into <c>core.events</c>, the outbox, in the caller's transaction.</summary>
internal sealed class EventPublisher(ITenantContext tenant, string source) : IEventPublisher
{
    public async Task<Guid> PublishAsync(TenantSession session, string eventType, string? subject, object payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(payload);
        if (!EventType.IsValid(eventType))
        {
            throw new ArgumentException($"'{eventType}' is not an event type: use dotted lower-case words such as 'ncm.created'.", nameof(eventType));
        }
        await using var command = session.CreateCommand("""
            INSERT INTO core.events (org_id, type, source, subject, payload, actor_id, correlation_id)
            VALUES (@org, @type, @source, @subject, @payload, @actor, @correlation)
            RETURNING event_id
            """);
        command.Parameters.AddWithValue("org", session.OrgId);
        command.Parameters.AddWithValue("type", eventType);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.AddWithValue("subject", NpgsqlDbType.Text, (object?)subject ?? DBNull.Value);
        command.Parameters.AddWithValue("payload", NpgsqlDbType.Jsonb, PluginValueJson.ToElement(payload).GetRawText());
        command.Parameters.AddWithValue("actor", NpgsqlDbType.Uuid,
            tenant.IsAuthenticated && tenant.UserId != Guid.Empty ? tenant.UserId : DBNull.Value);
        command.Parameters.AddWithValue("correlation", NpgsqlDbType.Text, tenant.CorrelationId);
        return (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

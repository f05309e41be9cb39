using NpgsqlTypes;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Tenancy;

namespace QmsAgentHost.Audit;

/// <summary>
/// Appends to <c>core.audit_events</c>. The database trigger assigns the sequence number, the time and
/// the hash chain under a per-tenant lock, so the chain is correct however many nodes write at once.
/// </summary>
internal sealed class AuditTrail(ITenantContext tenant) : IAuditTrail
{
    public Task<AuditReceipt> RecordAsync(TenantSession session, AuditEntry entry, CancellationToken cancellationToken = default) =>
        // Scheduled work acts as the tenant's system identity, which is no user.
        AppendAsync(session, entry, tenant.IsAuthenticated && tenant.UserId != Guid.Empty ? tenant.UserId : null,
            tenant.IsAuthenticated ? tenant.UserName : "system", tenant.CorrelationId, cancellationToken);

    /// <summary>Appends an event for an explicit actor, for host code that runs before a tenant context exists (sign-in).</summary>
    internal static async Task<AuditReceipt> AppendAsync(
        TenantSession session, AuditEntry entry, Guid? actorId, string actorName, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.EntityType);
        await using var command = session.CreateCommand("""
            INSERT INTO core.audit_events (org_id, occurred_at, actor_id, actor_name, action, entity_type, entity_id,
                before, after, reason, correlation_id, ai_provider, ai_model, ai_function, ai_arguments, ai_result, prev_hash, hash)
            VALUES (@org, now(), @actor_id, @actor_name, @action, @entity_type, @entity_id,
                @before, @after, @reason, @correlation, @ai_provider, @ai_model, @ai_function, @ai_arguments, @ai_result, '', '')
            RETURNING seq, hash
            """);
        command.Parameters.AddWithValue("org", session.OrgId);
        command.Parameters.AddWithValue("actor_id", NpgsqlDbType.Uuid, (object?)actorId ?? DBNull.Value);
        command.Parameters.AddWithValue("actor_name", actorName);
        command.Parameters.AddWithValue("action", entry.Action);
        command.Parameters.AddWithValue("entity_type", entry.EntityType);
        command.Parameters.AddWithValue("entity_id", NpgsqlDbType.Text, (object?)entry.EntityId ?? DBNull.Value);
        command.Parameters.AddWithValue("before", NpgsqlDbType.Jsonb, ToJson(entry.Before));
        command.Parameters.AddWithValue("after", NpgsqlDbType.Jsonb, ToJson(entry.After));
        command.Parameters.AddWithValue("reason", NpgsqlDbType.Text, (object?)entry.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("correlation", NpgsqlDbType.Text, (object?)correlationId ?? DBNull.Value);
        command.Parameters.AddWithValue("ai_provider", NpgsqlDbType.Text, (object?)entry.Ai?.Provider ?? DBNull.Value);
        command.Parameters.AddWithValue("ai_model", NpgsqlDbType.Text, (object?)entry.Ai?.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("ai_function", NpgsqlDbType.Text, (object?)entry.Ai?.Function ?? DBNull.Value);
        command.Parameters.AddWithValue("ai_arguments", NpgsqlDbType.Jsonb, ToJson(entry.Ai?.Arguments));
        command.Parameters.AddWithValue("ai_result", NpgsqlDbType.Jsonb, ToJson(entry.Ai?.Result));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new AuditReceipt(reader.GetInt64(0), reader.GetString(1));
    }

    private static object ToJson(object? value) =>
        value is null ? DBNull.Value : PluginValueJson.ToElement(value).GetRawText();
}

using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Audit;

/// <summary>An audit event as the API shows it; before, after and the AI details are JSON, not strings.</summary>
public sealed record AuditEventDto(
    long Seq,
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid? ActorId,
    string ActorName,
    string Action,
    string EntityType,
    string? EntityId,
    JsonElement? Before,
    JsonElement? After,
    string? Reason,
    string? CorrelationId,
    AuditAiDto? Ai,
    string PrevHash,
    string Hash);

public sealed record AuditAiDto(string? Provider, string? Model, string? Function, JsonElement? Arguments, JsonElement? Result);

/// <summary>One page of events. <see cref="Total"/> counts every event the filters match.</summary>
public sealed record AuditPageDto(IReadOnlyList<AuditEventDto> Items, long Total, AuditPagingDto Paging);

/// <summary>How the page was cut and how to read on.</summary>
/// <param name="Order"><c>desc</c> (newest first, the default) or <c>asc</c>.</param>
/// <param name="PageSize">Events per page.</param>
/// <param name="Page">The 1-based page number, when paging by page.</param>
/// <param name="AfterSeq">The keyset cursor given, when paging by <c>afterSeq</c>.</param>
/// <param name="HasMore">True when more events follow this page.</param>
/// <param name="NextAfterSeq">Pass as <c>afterSeq</c> to read on; null when this is the last page.</param>
public sealed record AuditPagingDto(string Order, int PageSize, int? Page, long? AfterSeq, bool HasMore, long? NextAfterSeq);

/// <summary>
/// Reads the audit trail through a tenant session, so row-level security limits it to the caller's
/// tenant. The one place that maps a row of <c>core.audit_events</c>: the API, the plugin test kit
/// and the host's tests all read events through it.
/// </summary>
internal static class AuditTrailReader
{
    private const string Columns = """
        seq, event_id, occurred_at, actor_id, actor_name, action, entity_type, entity_id, before, after, reason,
        correlation_id, ai_provider, ai_model, ai_function, ai_arguments, ai_result, prev_hash, hash
        """;

    /// <summary>Every event after sequence number <paramref name="afterSeq"/>, oldest first, optionally of one action.</summary>
    public static async Task<IReadOnlyList<AuditEventDto>> ReadSinceAsync(TenantSession session, long afterSeq, string? action, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand($"""
            SELECT {Columns} FROM core.audit_events
            WHERE org_id = @org AND seq > @after AND (@action::text IS NULL OR action = @action)
            ORDER BY seq
            """);
        command.Parameters.AddWithValue("org", session.OrgId);
        command.Parameters.AddWithValue("after", afterSeq);
        command.Parameters.AddWithValue("action", NpgsqlDbType.Text, (object?)action ?? DBNull.Value);
        var events = new List<AuditEventDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(ReadEvent(reader));
        }
        return events;
    }
    public static async Task<AuditPageDto> ReadAsync(TenantSession session, AuditQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(session.OrgId, query);

        long total;
        await using (var count = session.CreateCommand($"SELECT count(*) FROM core.audit_events WHERE {where}"))
        {
            count.Parameters.AddRange(Copy(parameters));
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        var direction = query.Ascending ? "ASC" : "DESC";
        var cursor = query.AfterSeq is null ? "" : query.Ascending ? "AND seq > @after_seq" : "AND seq < @after_seq";
        await using var list = session.CreateCommand($"""
            SELECT {Columns}
            FROM core.audit_events
            WHERE {where} {cursor}
            ORDER BY seq {direction}
            LIMIT @limit OFFSET @offset
            """);
        list.Parameters.AddRange(Copy(parameters));
        if (query.AfterSeq is { } after)
        {
            list.Parameters.AddWithValue("after_seq", after);
        }
        // One extra row tells whether another page follows.
        list.Parameters.AddWithValue("limit", query.PageSize + 1);
        list.Parameters.AddWithValue("offset", (long)((query.Page ?? 1) - 1) * query.PageSize);

        var items = new List<AuditEventDto>(query.PageSize + 1);
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ReadEvent(reader));
            }
        }
        var hasMore = items.Count > query.PageSize;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }
        var paging = new AuditPagingDto(query.Ascending ? "asc" : "desc", query.PageSize, query.AfterSeq is null ? query.Page ?? 1 : null,
            query.AfterSeq, hasMore, hasMore ? items[^1].Seq : null);
        return new AuditPageDto(items, total, paging);
    }

    private static (string Where, List<NpgsqlParameter> Parameters) Filter(Guid orgId, AuditQuery query)
    {
        // The explicit org_id lets PostgreSQL use the (org_id, ...) indexes; row-level security enforces it anyway.
        var clauses = new List<string> { "org_id = @org" };
        var parameters = new List<NpgsqlParameter> { new("org", NpgsqlDbType.Uuid) { Value = orgId } };
        void Add(string clause, string name, NpgsqlDbType type, object? value)
        {
            if (value is not null)
            {
                clauses.Add(clause);
                parameters.Add(new NpgsqlParameter(name, type) { Value = value });
            }
        }
        Add("occurred_at >= @from", "from", NpgsqlDbType.TimestampTz, query.From?.ToUniversalTime());
        Add("occurred_at < @to", "to", NpgsqlDbType.TimestampTz, query.To?.ToUniversalTime());
        Add("action = @action", "action", NpgsqlDbType.Text, query.Action);
        Add("entity_type = @entity_type", "entity_type", NpgsqlDbType.Text, query.EntityType);
        Add("entity_id = @entity_id", "entity_id", NpgsqlDbType.Text, query.EntityId);
        Add("actor_id = @actor_id", "actor_id", NpgsqlDbType.Uuid, query.ActorId);
        Add("correlation_id = @correlation_id", "correlation_id", NpgsqlDbType.Text, query.CorrelationId);
        return (string.Join(" AND ", clauses), parameters);
    }

    // A parameter belongs to one command; each statement gets its own copies.
    private static NpgsqlParameter[] Copy(List<NpgsqlParameter> parameters) => [.. parameters.Select(p => p.Clone())];

    private static AuditEventDto ReadEvent(NpgsqlDataReader reader)
    {
        string? Text(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetString(reader.GetOrdinal(column));
        JsonElement? Json(string column) => Text(column) is { } json ? JsonSerializer.Deserialize<JsonElement>(json) : null;

        var ai = Text("ai_provider") is null && Text("ai_model") is null && Text("ai_function") is null
            ? null
            : new AuditAiDto(Text("ai_provider"), Text("ai_model"), Text("ai_function"), Json("ai_arguments"), Json("ai_result"));
        return new AuditEventDto(
            reader.GetInt64(reader.GetOrdinal("seq")),
            reader.GetGuid(reader.GetOrdinal("event_id")),
            reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("occurred_at")),
            reader.IsDBNull(reader.GetOrdinal("actor_id")) ? null : reader.GetGuid(reader.GetOrdinal("actor_id")),
            Text("actor_name")!,
            Text("action")!,
            Text("entity_type")!,
            Text("entity_id"),
            Json("before"),
            Json("after"),
            Text("reason"),
            Text("correlation_id"),
            ai,
            Text("prev_hash")!,
            Text("hash")!);
    }
}

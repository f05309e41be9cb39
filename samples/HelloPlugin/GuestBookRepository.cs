using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Tenancy;

namespace HelloPlugin;

public sealed record GuestBookEntry(Guid Id, string Name, string Message, DateTimeOffset SignedAt);

/// <summary>The guest book table, through the tenant-scoped connection.</summary>
public sealed class GuestBookRepository(ITenantDatabase database, ITenantContext tenant, IAuditTrail audit, TimeProvider clock)
{
    public async Task<GuestBookEntry> AddAsync(string name, string message, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await using var command = session.CreateCommand("""
            INSERT INTO hello.guest_book (org_id, name, message, signed_by, signed_at)
            VALUES (@org, @name, @message, @user, @at)
            RETURNING entry_id, signed_at
            """);
        command.Parameters.AddWithValue("org", tenant.OrgId);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("message", message);
        command.Parameters.AddWithValue("user", tenant.UserId);
        command.Parameters.AddWithValue("at", clock.GetUtcNow());
        GuestBookEntry entry;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            entry = new GuestBookEntry(reader.GetGuid(0), name, message, reader.GetFieldValue<DateTimeOffset>(1));
        }
        await audit.RecordAsync(session, new AuditEntry("hello.guest-book-signed", "guest-book-entry", entry.Id.ToString()) { After = entry }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return entry;
    }

    public async Task<IReadOnlyList<GuestBookEntry>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await using var command = session.CreateCommand(
            "SELECT entry_id, name, message, signed_at FROM hello.guest_book ORDER BY signed_at DESC, entry_id LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        var entries = new List<GuestBookEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new GuestBookEntry(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return entries;
    }
}

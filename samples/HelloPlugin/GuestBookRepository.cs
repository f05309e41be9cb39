using Npgsql;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Signatures;
using QmsAgentHost.Sdk.Tenancy;

namespace HelloPlugin;

/// <summary>A guest book entry as shown: what was written, whether it is approved, and every signature on it.</summary>
public sealed record GuestBookEntry(Guid Id, string Name, string Message, DateTimeOffset SignedAt)
{
    public const string EntityType = "guest-book-entry";

    public DateTimeOffset? ApprovedAt { get; init; }

    public Guid? ApprovedBy { get; init; }

    public IReadOnlyList<ElectronicSignature> Signatures { get; init; } = [];

    /// <summary>What a signature covers: the entry as written, without its approval state.</summary>
    public object SignedContent() => new { Id, Name, Message, SignedAt };
}

/// <summary>The signer's proof of identity: exactly one of the two.</summary>
public sealed record SignerCredential(string? Password, string? SigningToken);

/// <summary>The guest book table, through the tenant-scoped connection.</summary>
public sealed class GuestBookRepository(
    ITenantDatabase database, ITenantContext tenant, IAuditTrail audit, ISignatureService signatures, TimeProvider clock)
{
    private const string Columns = "entry_id, name, message, signed_at, approved_at, approved_by";

    public async Task<GuestBookEntry> AddAsync(string name, string message, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await using var command = session.CreateCommand($"""
            INSERT INTO hello.guest_book (org_id, name, message, signed_by, signed_at)
            VALUES (@org, @name, @message, @user, @at)
            RETURNING {Columns}
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
            entry = ReadEntry(reader);
        }
        await audit.RecordAsync(session, new AuditEntry("hello.guest-book-signed", GuestBookEntry.EntityType, entry.Id.ToString()) { After = entry }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return entry;
    }

    public async Task<IReadOnlyList<GuestBookEntry>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var entries = new List<GuestBookEntry>();
        await using (var command = session.CreateCommand($"SELECT {Columns} FROM hello.guest_book ORDER BY signed_at DESC, entry_id LIMIT @limit"))
        {
            command.Parameters.AddWithValue("limit", limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(ReadEntry(reader));
            }
        }
        // The signatures are shown wherever the record is shown.
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i] = await WithSignaturesAsync(session, entries[i], cancellationToken);
        }
        return entries;
    }

    /// <summary>
    /// Signs the entry with <paramref name="meaning"/> and, for Approved, marks it approved, all in one
    /// transaction: a refused signature changes nothing. The signature is applied before this
    /// session records its own audit event, as the signature service requires.
    /// </summary>
    public async Task<GuestBookEntry> ApproveAsync(
        Guid entryId, SignatureMeaning meaning, SignerCredential credential, string? comment, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        var entry = await FindForUpdateAsync(session, entryId, cancellationToken)
            ?? throw new KeyNotFoundException($"No guest book entry {entryId}.");
        if (meaning == SignatureMeaning.Approved && entry.ApprovedAt is not null)
        {
            throw new InvalidOperationException($"Guest book entry {entryId} is already approved.") { Data = { ["conflict"] = true } };
        }

        var signature = await signatures.SignAsync(session, new SignatureRequest(
            GuestBookEntry.EntityType, entryId.ToString(), entry.SignedContent(), meaning, credential.Password, credential.SigningToken)
        {
            Comment = comment,
        }, cancellationToken);

        if (meaning == SignatureMeaning.Approved)
        {
            await using (var update = session.CreateCommand("UPDATE hello.guest_book SET approved_at = @at, approved_by = @by WHERE entry_id = @id"))
            {
                update.Parameters.AddWithValue("at", signature.SignedAt);
                update.Parameters.AddWithValue("by", signature.SignerId);
                update.Parameters.AddWithValue("id", entryId);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            entry = entry with { ApprovedAt = signature.SignedAt, ApprovedBy = signature.SignerId };
            await audit.RecordAsync(session, new AuditEntry("hello.guest-book-entry-approved", GuestBookEntry.EntityType, entryId.ToString())
            {
                Before = new { approvedAt = (DateTimeOffset?)null, approvedBy = (Guid?)null },
                After = new { entry.ApprovedAt, entry.ApprovedBy, signatureId = signature.Id },
                Reason = comment,
            }, cancellationToken);
        }
        entry = await WithSignaturesAsync(session, entry, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return entry;
    }

    private static async Task<GuestBookEntry?> FindForUpdateAsync(TenantSession session, Guid entryId, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand($"SELECT {Columns} FROM hello.guest_book WHERE entry_id = @id FOR UPDATE");
        command.Parameters.AddWithValue("id", entryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEntry(reader) : null;
    }

    private async Task<GuestBookEntry> WithSignaturesAsync(TenantSession session, GuestBookEntry entry, CancellationToken cancellationToken) =>
        entry with { Signatures = await signatures.ListAsync(session, GuestBookEntry.EntityType, entry.Id.ToString(), cancellationToken) };

    private static GuestBookEntry ReadEntry(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3))
        {
            ApprovedAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            ApprovedBy = reader.IsDBNull(5) ? null : reader.GetGuid(5),
        };
}

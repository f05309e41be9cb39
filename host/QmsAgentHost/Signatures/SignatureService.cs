using QmsAgentHost.Data;
using QmsAgentHost.Identity;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Signatures;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Signatures;

/// <summary>
/// Electronic signatures for the current user. The credential is checked before anything is
/// written; a refusal is recorded as <c>signature.rejected</c> in a session of its own that commits,
/// because the caller's transaction rolls back when <see cref="SignatureRejectedException"/> is thrown.
/// </summary>
internal sealed class SignatureService(
    ITenantContext tenant, IAuditTrail audit, PasswordSignIn passwords, QmsDataSources dataSources, TimeProvider clock) : ISignatureService
{
    public async Task<ElectronicSignature> SignAsync(TenantSession session, SignatureRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        if (!tenant.IsAuthenticated || session.OrgId != tenant.OrgId)
        {
            throw new InvalidOperationException("A signature needs a signed-in user and a session of that user's tenant.");
        }
        await EnsureChainNotLockedBySessionAsync(session, cancellationToken);

        var method = request.Password is not null ? "password" : "signing-token";
        var refusal = !tenant.HasPermission(CorePermissions.SignaturesSign)
            ? $"Signing needs permission '{CorePermissions.SignaturesSign}'."
            : request.Password is not null
                ? await CheckPasswordAsync(request.Password, cancellationToken)
                : await SigningTokens.RedeemAsync(session, tenant.UserId, request.SigningToken!, clock.GetUtcNow(), cancellationToken);
        if (refusal is not null)
        {
            await RecordRejectionAsync(request, method, refusal, cancellationToken);
            throw new SignatureRejectedException(refusal);
        }

        var signatureId = Guid.CreateVersion7(clock.GetUtcNow());
        var recordHash = CanonicalJson.Sha256Hex(request.Record);
        var receipt = await audit.RecordAsync(session, new AuditEntry("signature.applied", request.EntityType, request.EntityId)
        {
            After = new { signatureId, request.EntityType, request.EntityId, meaning = request.Meaning.ToString(), recordHash, method },
            Reason = request.Comment,
        }, cancellationToken);

        var signedAt = await InsertAsync(session, signatureId, request, recordHash, receipt.Sequence, cancellationToken);
        return new ElectronicSignature(signatureId, request.EntityType, request.EntityId, tenant.UserId, tenant.UserName,
            request.Meaning, signedAt, recordHash, request.Comment);
    }

    public async Task<IReadOnlyList<ElectronicSignature>> ListAsync(TenantSession session, string entityType, string entityId, CancellationToken cancellationToken = default)
    {
        await using var command = session.CreateCommand("""
            SELECT signature_id, entity_type, entity_id, signer_id, signer_name, meaning, signed_at, record_hash, comment
            FROM core.signatures
            WHERE org_id = @org AND entity_type = @entity_type AND entity_id = @entity_id
            ORDER BY audit_seq
            """);
        command.Parameters.AddWithValue("org", session.OrgId);
        command.Parameters.AddWithValue("entity_type", entityType);
        command.Parameters.AddWithValue("entity_id", entityId);
        var signatures = new List<ElectronicSignature>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            signatures.Add(new ElectronicSignature(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4),
                Enum.Parse<SignatureMeaning>(reader.GetString(5)), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }
        return signatures;
    }

    // signed_at is the database's clock, like the audit event's time.
    private async Task<DateTimeOffset> InsertAsync(
        TenantSession session, Guid signatureId, SignatureRequest request, string recordHash, long auditSeq, CancellationToken cancellationToken)
    {
        await using var insert = session.CreateCommand("""
            INSERT INTO core.signatures (signature_id, org_id, entity_type, entity_id, signer_id, signer_name, meaning, signed_at, record_hash, comment, audit_seq)
            VALUES (@id, @org, @entity_type, @entity_id, @signer, @signer_name, @meaning, clock_timestamp(), @record_hash, @comment, @audit_seq)
            RETURNING signed_at
            """);
        insert.Parameters.AddWithValue("id", signatureId);
        insert.Parameters.AddWithValue("org", session.OrgId);
        insert.Parameters.AddWithValue("entity_type", request.EntityType);
        insert.Parameters.AddWithValue("entity_id", request.EntityId);
        insert.Parameters.AddWithValue("signer", tenant.UserId);
        insert.Parameters.AddWithValue("signer_name", tenant.UserName);
        insert.Parameters.AddWithValue("meaning", request.Meaning.ToString());
        insert.Parameters.AddWithValue("record_hash", recordHash);
        insert.Parameters.AddWithValue("comment", NpgsqlTypes.NpgsqlDbType.Text, (object?)request.Comment ?? DBNull.Value);
        insert.Parameters.AddWithValue("audit_seq", auditSeq);
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    private static void Validate(SignatureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.EntityType) || request.EntityType.Length > 100)
        {
            throw new ArgumentException("The entity type of a signed record must be 1 to 100 characters.", nameof(request));
        }
        if (string.IsNullOrWhiteSpace(request.EntityId) || request.EntityId.Length > 200)
        {
            throw new ArgumentException("The entity id of a signed record must be 1 to 200 characters.", nameof(request));
        }
        if (request.Record is null)
        {
            throw new ArgumentException("The record to sign is missing.", nameof(request));
        }
        if (!Enum.IsDefined(request.Meaning))
        {
            throw new ArgumentException($"A signature means one of: {string.Join(", ", Enum.GetNames<SignatureMeaning>())}.", nameof(request));
        }
        if ((request.Password is null) == (request.SigningToken is null))
        {
            throw new ArgumentException("Sign with either your password or a signing token (exactly one of the two).", nameof(request));
        }
        if (request.Comment is { Length: > 1000 })
        {
            throw new ArgumentException("A signature comment is at most 1000 characters.", nameof(request));
        }
    }

    // In a session of its own that commits: a wrong password must count towards lockout even though
    // the caller's transaction rolls back.
    private async Task<string?> CheckPasswordAsync(string password, CancellationToken cancellationToken)
    {
        await using var check = await dataSources.BeginTenantAsync(tenant.OrgId, tenant.UserId, cancellationToken);
        var result = await passwords.VerifyAsync(check, tenant.UserId, password, tenant.CorrelationId, cancellationToken);
        await check.CommitAsync(cancellationToken);
        return result.Outcome switch
        {
            SignInOutcome.Succeeded => null,
            _ when result.RetryAfter is { } retry => $"Password checks are paused until {retry:u} after repeated wrong passwords.",
            _ => "The password is wrong.",
        };
    }

    private async Task RecordRejectionAsync(SignatureRequest request, string method, string reason, CancellationToken cancellationToken)
    {
        await using var separate = await dataSources.BeginTenantAsync(tenant.OrgId, tenant.UserId, cancellationToken);
        await audit.RecordAsync(separate, new AuditEntry("signature.rejected", request.EntityType, request.EntityId)
        {
            After = new { request.EntityType, request.EntityId, meaning = request.Meaning.ToString(), method, reason },
        }, cancellationToken);
        await separate.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Appending to the chain takes a per-tenant advisory lock held until the transaction ends. If the
    /// caller's session already appended an event, the separate session that records a refusal would
    /// wait for that lock forever while the caller waits for us; refuse the call up front instead.
    /// </summary>
    private static async Task EnsureChainNotLockedBySessionAsync(TenantSession session, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand("""
            SELECT EXISTS (
                SELECT 1
                FROM pg_locks l CROSS JOIN (SELECT hashtextextended('core.audit_events:' || @org::text, 0) AS k) chain
                WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted AND l.objsubid = 1
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid::bigint = (chain.k >> 32) & 4294967295
                  AND l.objid::bigint = chain.k & 4294967295)
            """);
        command.Parameters.AddWithValue("org", session.OrgId);
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            throw new InvalidOperationException(
                "Sign before recording audit events in the same session: this session already holds the tenant's audit-chain lock.");
        }
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using QmsAgentHost.Audit;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Audit;

namespace QmsAgentHost.Identity;

public sealed class SignInOptions
{
    public const string SectionName = "SignIn";

    /// <summary>Failed attempts in a row that lock an account.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts one client address may make per minute.</summary>
    public int RateLimitPerMinute { get; set; } = 20;
}

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

public sealed record SignInResult(SignInOutcome Outcome, ClaimsPrincipal? Principal = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Password verification with lockout, shared by the sign-in endpoint and by electronic signatures
/// (which re-enter the password). Every outcome is written to the tenant's audit trail.
/// </summary>
public sealed class PasswordSignIn(QmsDataSources dataSources, IOptions<SignInOptions> options, TimeProvider clock)
{
    internal static readonly PasswordHasher<string> Hasher = new();

    // Verified against when the login is unknown, so a wrong login costs the same time as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword("", Guid.NewGuid().ToString());

    public static string HashPassword(string password) => Hasher.HashPassword("", password);

    public async Task<SignInResult> SignInAsync(string login, string password, string? correlationId, CancellationToken cancellationToken)
    {
        login = login.Trim().ToLowerInvariant();
        var orgId = await dataSources.ResolveLoginAsync(login, cancellationToken);
        if (orgId is null)
        {
            Hasher.VerifyHashedPassword("", DummyHash, password);
            return new SignInResult(SignInOutcome.Failed);
        }
        await using var session = await dataSources.BeginTenantAsync(orgId.Value, null, cancellationToken);
        var result = await VerifyAsync(session, "login", login, password, correlationId, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Checks a user's password inside <paramref name="session"/> (the caller commits), counting
    /// failures toward lockout. <paramref name="column"/> is <c>login</c> or <c>user_id</c>.
    /// </summary>
    internal async Task<SignInResult> VerifyAsync(
        Sdk.Data.TenantSession session, string column, object key, string password, string? correlationId, CancellationToken cancellationToken)
    {
        var where = column == "user_id" ? "user_id = @key" : "login = @key";
        Guid userId, stamp;
        string hash, displayName, role;
        DateTimeOffset? lockedUntil;
        await using (var command = session.CreateCommand($"""
            SELECT user_id, coalesce(password_hash, ''), display_name, role, locked_until, security_stamp
            FROM core.users WHERE {where} AND NOT disabled FOR UPDATE
            """))
        {
            command.Parameters.AddWithValue("key", key);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                Hasher.VerifyHashedPassword("", DummyHash, password);
                return new SignInResult(SignInOutcome.Failed);
            }
            (userId, hash, displayName, role) = (reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            stamp = reader.GetGuid(5);
            lockedUntil = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
        }

        var now = clock.GetUtcNow();
        if (lockedUntil > now)
        {
            await AuditAsync(session, "auth.sign-in-refused-locked", userId, displayName, correlationId, cancellationToken);
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: lockedUntil);
        }

        var verified = hash.Length > 0 && Hasher.VerifyHashedPassword("", hash, password) != PasswordVerificationResult.Failed;
        if (!verified)
        {
            var locked = await CountFailureAsync(session, userId, now, cancellationToken);
            await AuditAsync(session, locked is null ? "auth.sign-in-failed" : "auth.locked-out", userId, displayName, correlationId, cancellationToken);
            return locked is null ? new SignInResult(SignInOutcome.Failed) : new SignInResult(SignInOutcome.LockedOut, LockedUntil: locked);
        }

        await using (var reset = session.CreateCommand("UPDATE core.users SET failed_sign_ins = 0, locked_until = NULL WHERE user_id = @id"))
        {
            reset.Parameters.AddWithValue("id", userId);
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(QmsClaims.OrgId, session.OrgId.ToString()),
            new Claim(QmsClaims.UserId, userId.ToString()),
            new Claim(QmsClaims.Role, role),
            new Claim(ClaimTypes.Name, displayName),
            new Claim(QmsClaims.SecurityStamp, stamp.ToString()),
        ], "Password");
        return new SignInResult(SignInOutcome.Succeeded, new ClaimsPrincipal(identity));
    }

    private async Task<DateTimeOffset?> CountFailureAsync(Sdk.Data.TenantSession session, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand("""
            UPDATE core.users SET
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @max THEN 0 ELSE failed_sign_ins + 1 END,
                locked_until = CASE WHEN failed_sign_ins + 1 >= @max THEN @until ELSE locked_until END
            WHERE user_id = @id
            RETURNING CASE WHEN locked_until = @until THEN locked_until END
            """);
        command.Parameters.AddWithValue("max", options.Value.MaxFailedAttempts);
        command.Parameters.AddWithValue("until", now + options.Value.LockoutDuration);
        command.Parameters.AddWithValue("id", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
    }

    private static Task<AuditReceipt> AuditAsync(Sdk.Data.TenantSession session, string action, Guid userId, string displayName, string? correlationId, CancellationToken cancellationToken) =>
        AuditTrail.AppendAsync(session, new AuditEntry(action, "user", userId.ToString()), userId, displayName, correlationId, cancellationToken);
}

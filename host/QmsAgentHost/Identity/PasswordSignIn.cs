using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using QmsAgentHost.Audit;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

public sealed class SignInOptions
{
    public const string SectionName = "SignIn";

    /// <summary>Failed attempts of one login from one client address before each further failure makes it wait.</summary>
    public int FreeFailures { get; set; } = 5;

    /// <summary>The first wait after the free failures; each further failure doubles it.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts one client address may make per minute, per node.</summary>
    public int RateLimitPerMinute { get; set; } = 20;
}

public enum SignInOutcome
{
    Succeeded,
    Failed,
}

/// <param name="Outcome">Whether the password was accepted.</param>
/// <param name="Principal">The session's principal, when it was.</param>
/// <param name="RetryAfter">When a throttled password check may be tried again (re-verification only; sign-in never says).</param>
public sealed record SignInResult(SignInOutcome Outcome, ClaimsPrincipal? Principal = null, DateTimeOffset? RetryAfter = null);

/// <summary>
/// Password sign-in by organization and login (ADR 0011), and the password re-verification of
/// electronic signatures. An unknown organization, an unknown or disabled login, a wrong password and
/// a throttled attempt all do the same work and give the same answer. Failures slow down only the
/// login and client address that failed (<c>core.sign_in_throttle</c>): nobody can lock someone
/// else's account from elsewhere. Failures of known users are written to their tenant's audit trail.
/// </summary>
public sealed class PasswordSignIn(QmsDataSources dataSources, IOptions<SignInOptions> options)
{
    internal static readonly PasswordHasher<string> Hasher = new();

    // Verified against when there is no user, so every failure costs one hash check like a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword("", Guid.NewGuid().ToString());

    public static string HashPassword(string password) => Hasher.HashPassword("", password);

    public async Task<SignInResult> SignInAsync(
        string organization, string login, string password, string client, string? correlationId, CancellationToken cancellationToken)
    {
        organization = organization.Trim().ToLowerInvariant();
        login = login.Trim().ToLowerInvariant();
        var clientKey = SHA256.HashData(Encoding.UTF8.GetBytes(client));
        Guid? orgId;
        bool blocked;
        await using (var connection = await QmsDataSources.OpenAsync(dataSources.App, cancellationToken))
        await using (var command = new Npgsql.NpgsqlCommand(
            "SELECT core.resolve_org(@org), core.sign_in_blocked_until(@org, @login, @client) IS NOT NULL", connection))
        {
            command.Parameters.AddWithValue("org", organization);
            command.Parameters.AddWithValue("login", login);
            command.Parameters.AddWithValue("client", clientKey);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (orgId, blocked) = (reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.GetBoolean(1));
        }

        // The same statements whether or not the organization exists: bound to no tenant, they find no user.
        await using var session = await dataSources.BeginTenantAsync(orgId ?? Guid.Empty, null, cancellationToken);
        var user = await FindUserAsync(session, "login", login, cancellationToken);
        var verified = Verify(user, password) && !blocked;
        if (!verified)
        {
            if (!blocked)
            {
                await Throttle(session, "core.sign_in_failed(@scope, @login, @client, @free, @base, @max)", organization, login, clientKey, cancellationToken);
            }
            if (user is not null)
            {
                await AuditAsync(session, blocked ? "auth.sign-in-throttled" : "auth.sign-in-failed", user, correlationId, cancellationToken);
            }
            await session.CommitAsync(cancellationToken);
            return new SignInResult(SignInOutcome.Failed);
        }
        await Throttle(session, "core.sign_in_succeeded(@scope, @login, @client)", organization, login, clientKey, cancellationToken);
        await session.CommitAsync(cancellationToken);
        var identity = new ClaimsIdentity(
        [
            new Claim(QmsClaims.OrgId, session.OrgId.ToString()),
            new Claim(QmsClaims.UserId, user!.UserId.ToString()),
            new Claim(QmsClaims.Role, user.Role),
            new Claim(ClaimTypes.Name, user.DisplayName),
            new Claim(QmsClaims.SecurityStamp, user.Stamp.ToString()),
        ], "Password");
        return new SignInResult(SignInOutcome.Succeeded, new ClaimsPrincipal(identity));
    }

    /// <summary>
    /// Re-checks a signed-in user's password inside <paramref name="session"/> (the caller commits),
    /// for electronic signatures. Failures are throttled per user like sign-in failures are per login.
    /// </summary>
    internal async Task<SignInResult> VerifyAsync(TenantSession session, Guid userId, string password, string? correlationId, CancellationToken cancellationToken)
    {
        var scope = "signing:" + session.OrgId.ToString("N");
        var login = userId.ToString("N");
        var clientKey = "session"u8.ToArray();
        DateTimeOffset? blockedUntil;
        await using (var check = session.CreateCommand("SELECT core.sign_in_blocked_until(@scope, @login, @client)"))
        {
            check.Parameters.AddWithValue("scope", scope);
            check.Parameters.AddWithValue("login", login);
            check.Parameters.AddWithValue("client", clientKey);
            blockedUntil = await check.ExecuteScalarAsync(cancellationToken) as DateTime? is { } until ? new DateTimeOffset(until, TimeSpan.Zero) : null;
        }
        var user = await FindUserAsync(session, "user_id", userId, cancellationToken);
        if (Verify(user, password) && blockedUntil is null)
        {
            await Throttle(session, "core.sign_in_succeeded(@scope, @login, @client)", scope, login, clientKey, cancellationToken);
            return new SignInResult(SignInOutcome.Succeeded);
        }
        if (blockedUntil is null)
        {
            blockedUntil = await Throttle(session, "core.sign_in_failed(@scope, @login, @client, @free, @base, @max)", scope, login, clientKey, cancellationToken);
        }
        if (user is not null)
        {
            await AuditAsync(session, blockedUntil is null ? "auth.sign-in-failed" : "auth.password-checks-paused", user, correlationId, cancellationToken);
        }
        return new SignInResult(SignInOutcome.Failed, RetryAfter: blockedUntil);
    }

    private sealed record UserRow(Guid UserId, string Hash, string DisplayName, string Role, Guid Stamp);

    private static bool Verify(UserRow? user, string password)
    {
        var hash = user is { Hash.Length: > 0 } ? user.Hash : DummyHash;
        return Hasher.VerifyHashedPassword("", hash, password) != PasswordVerificationResult.Failed && user is { Hash.Length: > 0 };
    }

    private static async Task<UserRow?> FindUserAsync(TenantSession session, string column, object key, CancellationToken cancellationToken)
    {
        var where = column == "user_id" ? "user_id = @key" : "login = @key";
        await using var command = session.CreateCommand($"""
            SELECT user_id, coalesce(password_hash, '') AS password_hash, display_name, role, security_stamp
            FROM core.users WHERE {where} AND NOT disabled
            """);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new UserRow(reader.GetGuid(reader.GetOrdinal("user_id")), reader.GetString(reader.GetOrdinal("password_hash")),
                reader.GetString(reader.GetOrdinal("display_name")), reader.GetString(reader.GetOrdinal("role")), reader.GetGuid(reader.GetOrdinal("security_stamp")))
            : null;
    }

    private async Task<DateTimeOffset?> Throttle(TenantSession session, string call, string scope, string login, byte[] client, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand($"SELECT {call}");
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("login", login);
        command.Parameters.AddWithValue("client", client);
        if (call.Contains("@free", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("free", options.Value.FreeFailures);
            command.Parameters.AddWithValue("base", options.Value.FirstDelay.TotalSeconds);
            command.Parameters.AddWithValue("max", options.Value.MaxDelay.TotalSeconds);
        }
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime until ? new DateTimeOffset(until, TimeSpan.Zero) : null;
    }

    private static Task<AuditReceipt> AuditAsync(TenantSession session, string action, UserRow user, string? correlationId, CancellationToken cancellationToken) =>
        AuditTrail.AppendAsync(session, new AuditEntry(action, "user", user.UserId.ToString()), user.UserId, user.DisplayName, correlationId, cancellationToken);
}

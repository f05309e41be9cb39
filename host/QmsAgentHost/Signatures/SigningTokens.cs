using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using QmsAgentHost.Data;
using QmsAgentHost.Identity;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Signatures;

public sealed record SigningTokenIssue(SignInOutcome Outcome, string? Token = null, DateTimeOffset? ExpiresAt = null, DateTimeOffset? RetryAfter = null);

/// <summary>
/// Single-use signing tokens: an API caller proves its password once and gets a token that signs
/// one record within five minutes. The token has 256 random bits; only its SHA-256 is stored.
/// Expiry is decided by <see cref="TimeProvider"/> both when a token is issued and when it is
/// redeemed, so one clock rules both ends.
/// </summary>
internal sealed class SigningTokens(QmsDataSources dataSources, PasswordSignIn passwords, ITenantContext tenant, IAuditTrail audit, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private const string Prefix = "qsig_";

    /// <summary>Verifies the caller's password (a failure counts towards lockout) and issues a token.</summary>
    public async Task<SigningTokenIssue> IssueAsync(string password, CancellationToken cancellationToken)
    {
        await using var session = await dataSources.BeginTenantAsync(tenant.OrgId, tenant.UserId, cancellationToken);
        var check = await passwords.VerifyAsync(session, tenant.UserId, password, tenant.CorrelationId, cancellationToken);
        if (check.Outcome != SignInOutcome.Succeeded)
        {
            // Committed, so the failed attempt counts towards lockout and stays in the audit trail.
            await session.CommitAsync(cancellationToken);
            return new SigningTokenIssue(check.Outcome, RetryAfter: check.RetryAfter);
        }

        var token = Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var expiresAt = now + Lifetime;
        Guid tokenId;
        await using (var command = session.CreateCommand("""
            INSERT INTO core.signing_tokens (org_id, user_id, token_hash, created_at, expires_at)
            VALUES (@org, @user, @hash, @now, @expires) RETURNING token_id
            """))
        {
            command.Parameters.AddWithValue("org", session.OrgId);
            command.Parameters.AddWithValue("user", tenant.UserId);
            command.Parameters.AddWithValue("hash", Hash(token));
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("expires", expiresAt);
            tokenId = (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        await audit.RecordAsync(session, new AuditEntry("signature.token-issued", "signing-token", tokenId.ToString())
        {
            After = new { tokenId, userId = tenant.UserId, expiresAt },
        }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new SigningTokenIssue(SignInOutcome.Succeeded, token, expiresAt);
    }

    /// <summary>
    /// Marks the user's token used in <paramref name="session"/>, so it is spent exactly when the
    /// signature commits. Returns null when redeemed, else why not. Two concurrent redemptions
    /// serialize on the row lock and the second finds the token used.
    /// </summary>
    public static async Task<string?> RedeemAsync(TenantSession session, Guid userId, string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        await using (var redeem = session.CreateCommand("""
            UPDATE core.signing_tokens SET used_at = @now
            WHERE user_id = @user AND token_hash = @hash AND used_at IS NULL AND expires_at > @now
            """))
        {
            redeem.Parameters.AddWithValue("now", now);
            redeem.Parameters.AddWithValue("user", userId);
            redeem.Parameters.AddWithValue("hash", hash);
            if (await redeem.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return null;
            }
        }
        await using var why = session.CreateCommand("SELECT used_at IS NOT NULL FROM core.signing_tokens WHERE user_id = @user AND token_hash = @hash");
        why.Parameters.AddWithValue("user", userId);
        why.Parameters.AddWithValue("hash", hash);
        return await why.ExecuteScalarAsync(cancellationToken) switch
        {
            true => "The signing token was already used.",
            false => "The signing token has expired.",
            _ => "The signing token is not valid for this user.",
        };
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

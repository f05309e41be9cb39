using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using QmsAgentHost.Data;

namespace QmsAgentHost.Identity;

/// <summary>Authenticates <c>Authorization: Bearer qms_…</c> API keys. A revoked or expired key, or a disabled owner, is refused.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    QmsDataSources dataSources) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        if (!ApiKeyToken.TryParse(header["Bearer ".Length..].Trim(), out var token))
        {
            return AuthenticateResult.Fail("The bearer token is not a QMS API key.");
        }
        var orgId = await dataSources.ResolveApiKeyAsync(token.Value.KeyId, Context.RequestAborted);
        if (orgId is null)
        {
            return AuthenticateResult.Fail("Unknown API key.");
        }
        await using var session = await dataSources.BeginTenantAsync(orgId.Value, null, Context.RequestAborted);
        await using var command = session.CreateCommand("""
            SELECT k.secret_hash, k.role, k.revoked_at IS NOT NULL, k.expires_at IS NOT NULL AND k.expires_at < now(), k.user_id, u.disabled
            FROM core.api_keys k JOIN core.users u ON u.user_id = k.user_id
            WHERE k.key_id = @id
            """);
        command.Parameters.AddWithValue("id", token.Value.KeyId);
        string role;
        Guid userId;
        await using (var reader = await command.ExecuteReaderAsync(Context.RequestAborted))
        {
            if (!await reader.ReadAsync(Context.RequestAborted) || !token.Value.Matches((byte[])reader[0]))
            {
                return AuthenticateResult.Fail("Unknown API key.");
            }
            if (reader.GetBoolean(2))
            {
                return AuthenticateResult.Fail("This API key was revoked.");
            }
            if (reader.GetBoolean(3))
            {
                return AuthenticateResult.Fail("This API key has expired.");
            }
            if (reader.GetBoolean(5))
            {
                return AuthenticateResult.Fail("The owner of this API key is disabled.");
            }
            role = reader.GetString(1);
            userId = reader.GetGuid(4);
        }
        // Recorded at most once a minute per key, so a busy client does not write on every request.
        await using (var touch = session.CreateCommand("""
            UPDATE core.api_keys SET last_used_at = now()
            WHERE key_id = @id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
            """))
        {
            touch.Parameters.AddWithValue("id", token.Value.KeyId);
            await touch.ExecuteNonQueryAsync(Context.RequestAborted);
        }
        await session.CommitAsync(Context.RequestAborted);

        var identity = new ClaimsIdentity(
        [
            new Claim(QmsClaims.OrgId, orgId.Value.ToString()),
            new Claim(QmsClaims.UserId, userId.ToString()),
            new Claim(QmsClaims.Role, role),
            new Claim(QmsClaims.ApiKeyId, token.Value.KeyId.ToString()),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }

}

/// <summary>Claim types the host issues.</summary>
public static class QmsClaims
{
    public const string OrgId = "qms:org";
    public const string UserId = "qms:user";
    public const string Role = "qms:role";
    public const string ApiKeyId = "qms:key";
    public const string SecurityStamp = "qms:stamp";
}

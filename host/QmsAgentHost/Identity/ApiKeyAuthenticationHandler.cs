using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

/// <summary>
/// Authenticates <c>Authorization: Bearer qms_…</c> API keys through <see cref="CallerResolver"/>
/// (cached per node, dropped at once on any change). A revoked or expired key, a disabled owner or a
/// disabled organization is refused.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CallerResolver callers) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
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
        var resolution = await callers.ResolveKeyAsync(token.Value, Context.RequestAborted);
        if (resolution.Caller is not { } caller)
        {
            return AuthenticateResult.Fail(resolution.Failure ?? "Unknown API key.");
        }
        Context.Features.Set(new ResolvedCallerFeature(caller));
        var identity = new ClaimsIdentity(
        [
            new Claim(QmsClaims.OrgId, caller.OrgId.ToString()),
            new Claim(QmsClaims.UserId, caller.UserId.ToString()),
            new Claim(QmsClaims.Role, caller.Role),
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

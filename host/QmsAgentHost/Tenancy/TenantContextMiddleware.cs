using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace QmsAgentHost.Tenancy;

/// <summary>The caller an authentication handler has already resolved (the API-key handler does).</summary>
internal sealed record ResolvedCallerFeature(Caller Caller);

/// <summary>
/// Turns the authenticated principal into the request's <see cref="TenantContext"/> through
/// <see cref="CallerResolver"/>, so a disabled user or organization, a changed role or password, or a
/// revoked key takes effect on the next request, even with a live cookie.
/// </summary>
internal sealed class TenantContextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, TenantContext tenant, CallerResolver callers)
    {
        if (http.Features.Get<ResolvedCallerFeature>() is { } resolved)
        {
            tenant.Set(resolved.Caller);
        }
        else if (http.User.Identity?.IsAuthenticated == true)
        {
            var caller = TryReadClaims(http.User, out var orgId, out var userId)
                // A cookie without a stamp (issued before stamps existed) matches nothing, so it ends too.
                ? await callers.ResolveSessionAsync(orgId, userId, ReadStamp(http.User), "cookie", http.RequestAborted)
                : null;
            if (caller is null)
            {
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            }
            else
            {
                tenant.Set(caller);
            }
        }
        await next(http);
    }

    private static Guid ReadStamp(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(QmsClaims.SecurityStamp), out var stamp) ? stamp : Guid.Empty;

    private static bool TryReadClaims(ClaimsPrincipal user, out Guid orgId, out Guid userId)
    {
        userId = Guid.Empty;
        return Guid.TryParse(user.FindFirstValue(QmsClaims.OrgId), out orgId)
            && Guid.TryParse(user.FindFirstValue(QmsClaims.UserId), out userId);
    }
}

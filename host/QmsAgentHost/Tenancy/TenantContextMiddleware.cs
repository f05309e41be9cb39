using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using QmsAgentHost.Data;
using QmsAgentHost.Identity;
using QmsAgentHost.Plugins;

namespace QmsAgentHost.Tenancy;

/// <summary>
/// Turns the authenticated principal into the request's <see cref="TenantContext"/>: reloads the
/// user (so a disabled user or a changed role takes effect at once, even with a live cookie), bounds
/// an API key's role by its owner's, and resolves the tenant's permissions for that role.
/// </summary>
internal sealed class TenantContextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, TenantContext tenant, QmsDataSources dataSources, PermissionResolver permissions)
    {
        if (http.Request.Headers.TryGetValue("X-Correlation-Id", out var correlation) && correlation.ToString() is { Length: > 0 and <= 64 } id)
        {
            tenant.CorrelationId = id;
        }
        http.Response.Headers["X-Correlation-Id"] = tenant.CorrelationId;

        if (http.User.Identity?.IsAuthenticated == true && TryReadClaims(http.User, out var orgId, out var userId, out var claimedRole, out var keyId))
        {
            // A cookie must carry the stamp the user had at sign-in; an API key is its own credential.
            Guid? stamp = keyId is null ? ReadStamp(http.User) : null;
            var caller = await LoadCallerAsync(dataSources, permissions, orgId, userId, claimedRole, keyId, http.RequestAborted, stamp);
            if (caller is null)
            {
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
                if (keyId is null)
                {
                    await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                }
            }
            else
            {
                tenant.Set(caller);
            }
        }
        await next(http);
    }

    /// <summary>
    /// Reloads a signed-in user and resolves their permissions in their tenant; null when the user
    /// is gone or disabled, or when <paramref name="sessionStamp"/> is given and no longer matches
    /// (the password changed since the session began). Internal so the test kit builds its callers
    /// exactly as a request does.
    /// </summary>
    internal static async Task<Caller?> LoadCallerAsync(
        QmsDataSources dataSources, PermissionResolver permissions, Guid orgId, Guid userId, string claimedRole, Guid? keyId,
        CancellationToken cancellationToken, Guid? sessionStamp = null)
    {
        await using var session = await dataSources.BeginTenantAsync(orgId, userId, cancellationToken);
        string name, userRole;
        Guid? siteId;
        await using (var command = session.CreateCommand(
            "SELECT display_name, role, site_id, security_stamp FROM core.users WHERE user_id = @id AND NOT disabled"))
        {
            command.Parameters.AddWithValue("id", userId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken) || (sessionStamp is not null && sessionStamp != reader.GetGuid(3)))
            {
                return null;
            }
            (name, userRole, siteId) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2));
        }
        // A key never outranks its owner: if the owner was demoted, the key is demoted with them.
        var role = keyId is not null && Roles.CanGrant(userRole, claimedRole) ? claimedRole : userRole;
        var granted = await permissions.ResolveAsync(session, role, cancellationToken);
        // Read here, in the same transaction, so a function call needs no session of its own to check it.
        var disabled = await PluginEnablement.DisabledAsync(session, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return new Caller(orgId, userId, siteId, name, role, granted.ToFrozenSet(StringComparer.Ordinal), keyId is null ? "cookie" : "apikey", keyId,
            disabled.ToFrozenSet(StringComparer.Ordinal));
    }

    // A cookie without a stamp (issued before stamps existed) matches nothing, so it ends too.
    private static Guid ReadStamp(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(QmsClaims.SecurityStamp), out var stamp) ? stamp : Guid.Empty;

    private static bool TryReadClaims(ClaimsPrincipal user, out Guid orgId, out Guid userId, out string role, out Guid? keyId)
    {
        keyId = Guid.TryParse(user.FindFirstValue(QmsClaims.ApiKeyId), out var key) ? key : null;
        role = user.FindFirstValue(QmsClaims.Role) ?? "";
        userId = Guid.Empty;
        return Guid.TryParse(user.FindFirstValue(QmsClaims.OrgId), out orgId)
            && Guid.TryParse(user.FindFirstValue(QmsClaims.UserId), out userId)
            && Roles.IsRole(role);
    }
}

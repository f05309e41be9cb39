using System.Collections.Frozen;
using QmsAgentHost.Sdk.Tenancy;

namespace QmsAgentHost.Tenancy;

/// <summary>The caller of the current scope. Set once per request by <see cref="TenantContextMiddleware"/> (or per job run).</summary>
public sealed class TenantContext : ITenantContext
{
    private Caller? _caller;

    public bool IsAuthenticated => _caller is not null;
    public Guid OrgId => Require().OrgId;
    public Guid? SiteId => _caller?.SiteId;
    public Guid UserId => Require().UserId;
    public string UserName => _caller?.UserName ?? "anonymous";
    public string Role => _caller?.Role ?? "";
    public IReadOnlySet<string> Permissions => _caller?.Permissions ?? FrozenSet<string>.Empty;
    public string CorrelationId { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>How the caller proved who they are: <c>cookie</c>, <c>apikey</c> or <c>system</c>.</summary>
    public string AuthenticationMethod => _caller?.Method ?? "";

    /// <summary>The API key in use, when the caller used one.</summary>
    public Guid? ApiKeyId => _caller?.ApiKeyId;

    public bool HasPermission(string permission) => _caller?.Permissions.Contains(permission) == true;

    /// <summary>The plugins the caller's organization has switched off.</summary>
    public IReadOnlySet<string> DisabledPlugins => _caller?.DisabledPlugins ?? FrozenSet<string>.Empty;

    /// <summary>False when the caller's organization has switched <paramref name="pluginId"/> off.</summary>
    public bool IsPluginEnabled(string pluginId) => !DisabledPlugins.Contains(pluginId);

    /// <summary>
    /// True when every role in force for this caller may grant <paramref name="role"/>: the key's
    /// issued role and its owner's current role for an API key, the user's role otherwise (ADR 0006).
    /// </summary>
    public bool CanGrant(string role) => _caller is { } caller && caller.RolesInForce.All(r => Roles.CanGrant(r, role));

    internal void Set(Caller caller)
    {
        if (_caller is not null && _caller != caller)
        {
            throw new InvalidOperationException("The tenant context of a scope is set once.");
        }
        _caller = caller;
    }

    private Caller Require() => _caller ?? throw new InvalidOperationException("No tenant: the caller is not signed in.");
}

/// <summary>
/// Who is calling, resolved from a cookie, an API key or a job, with the plugins the caller's
/// organization has switched off. For an API key, <see cref="Role"/> is the key's issued role and
/// <see cref="OwnerRole"/> its owner's current role; <see cref="Permissions"/> holds only what both grant.
/// </summary>
internal sealed record Caller(
    Guid OrgId, Guid UserId, Guid? SiteId, string UserName, string Role, FrozenSet<string> Permissions, string Method, Guid? ApiKeyId = null,
    FrozenSet<string>? DisabledPlugins = null, string? OwnerRole = null)
{
    public IEnumerable<string> RolesInForce => OwnerRole is null ? [Role] : [Role, OwnerRole];
}

using QmsAgentHost.Plugins;
using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Identity;

/// <summary>
/// Works out which permissions a role has in a tenant: the defaults (core permissions and each
/// loaded plugin's manifest, granted to their default role and every role above it; Auditor gets
/// every read permission) overlaid with the tenant's own edits in <c>core.role_permissions</c>.
/// </summary>
public sealed class PermissionResolver(PluginCatalog plugins)
{
    private static readonly HashSet<string> ReadActions = ["view", "read", "ask", "search", "list", "verify"];

    /// <summary>Every permission known to the host now, with its default role and description.</summary>
    public IReadOnlyList<(string Name, string DefaultRole, string Description)> KnownPermissions() =>
    [
        .. CorePermissions.All,
        .. plugins.All.Where(p => p.Status == PluginStatus.Loaded && p.Manifest is not null)
            .SelectMany(p => p.Manifest!.Permissions)
            .Select(p => (p.Name, Roles.IsRole(p.DefaultRole) ? p.DefaultRole : Roles.Admin, p.Description)),
    ];

    public bool IsKnown(string permission) => KnownPermissions().Any(p => p.Name == permission);

    /// <summary>The defaults for <paramref name="role"/>, before tenant edits.</summary>
    public HashSet<string> DefaultsFor(string role)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, defaultRole, _) in KnownPermissions())
        {
            var allowed = role == Roles.Auditor
                ? IsReadOnly(name)
                : defaultRole != Roles.Auditor && Roles.Rank(role) >= Roles.Rank(defaultRole);
            if (allowed)
            {
                granted.Add(name);
            }
        }
        return granted;
    }

    /// <summary>The effective permissions of <paramref name="role"/> in the session's tenant.</summary>
    public async Task<HashSet<string>> ResolveAsync(TenantSession session, string role, CancellationToken cancellationToken)
    {
        var granted = DefaultsFor(role);
        await using var command = session.CreateCommand("SELECT permission, granted FROM core.role_permissions WHERE role = @role");
        command.Parameters.AddWithValue("role", role);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(1))
            {
                granted.Add(reader.GetString(0));
            }
            else
            {
                granted.Remove(reader.GetString(0));
            }
        }
        // The Owner can always manage users, so a tenant can never lock itself out of its own administration.
        if (role == Roles.Owner)
        {
            granted.Add(CorePermissions.AdminUsers);
        }
        return granted;
    }

    private static bool IsReadOnly(string permission) =>
        ReadActions.Contains(permission[(permission.IndexOf(':', StringComparison.Ordinal) + 1)..]);
}

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
        var overrides = await LoadOverridesAsync(session, role, cancellationToken);
        return Effective(role, overrides.GetValueOrDefault(role) ?? []);
    }

    /// <summary>The tenant's edits of the role map, by role then permission (<c>true</c> = granted, <c>false</c> = revoked).</summary>
    public static async Task<Dictionary<string, Dictionary<string, bool>>> LoadOverridesAsync(
        TenantSession session, string? role, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand(
            "SELECT role, permission, granted FROM core.role_permissions WHERE @role::text IS NULL OR role = @role");
        command.Parameters.AddWithValue("role", NpgsqlTypes.NpgsqlDbType.Text, (object?)role ?? DBNull.Value);
        var overrides = new Dictionary<string, Dictionary<string, bool>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var forRole = overrides.TryGetValue(reader.GetString(0), out var existing)
                ? existing
                : overrides[reader.GetString(0)] = new Dictionary<string, bool>(StringComparer.Ordinal);
            forRole[reader.GetString(1)] = reader.GetBoolean(2);
        }
        return overrides;
    }

    /// <summary>The defaults of <paramref name="role"/> with the tenant's <paramref name="overrides"/> laid over them.</summary>
    public HashSet<string> Effective(string role, IReadOnlyDictionary<string, bool> overrides)
    {
        var granted = DefaultsFor(role);
        foreach (var (permission, isGranted) in overrides)
        {
            if (isGranted)
            {
                granted.Add(permission);
            }
            else
            {
                granted.Remove(permission);
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

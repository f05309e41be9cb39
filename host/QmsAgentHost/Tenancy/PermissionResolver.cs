namespace QmsAgentHost.Tenancy;

/// <summary>Where permissions come from besides the host's own: each loaded plugin's manifest.</summary>
public interface IPermissionSource
{
    /// <summary>Permission, the lowest ladder role that holds it by default, and what it allows.</summary>
    IEnumerable<(string Name, string DefaultRole, string Description)> Permissions { get; }
}

/// <summary>
/// Works out which permissions a role has in a tenant: the defaults (core permissions and each
/// permission source, granted to their default role and every role above it; Auditor gets every
/// read permission) overlaid with the tenant's own edits in <c>core.role_permissions</c>, minus what
/// the role may never hold (<see cref="Roles.NeverHolds"/>).
/// </summary>
public sealed class PermissionResolver(IEnumerable<IPermissionSource> sources)
{
    /// <summary>Every permission known to the host now, with its default role and description.</summary>
    public IReadOnlyList<(string Name, string DefaultRole, string Description)> KnownPermissions() =>
    [
        .. CorePermissions.All,
        .. sources.SelectMany(s => s.Permissions).Select(p => (p.Name, Roles.IsRole(p.DefaultRole) ? p.DefaultRole : Roles.Admin, p.Description)),
    ];

    public bool IsKnown(string permission) => KnownPermissions().Any(p => p.Name == permission);

    /// <summary>The defaults for <paramref name="role"/>, before tenant edits.</summary>
    public HashSet<string> DefaultsFor(string role)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, defaultRole, _) in KnownPermissions())
        {
            var allowed = role == Roles.Auditor
                ? Roles.IsReadOnly(name)
                : defaultRole != Roles.Auditor && Roles.Rank(role) >= Roles.Rank(defaultRole);
            if (allowed)
            {
                granted.Add(name);
            }
        }
        return granted;
    }

    /// <summary>The effective permissions of <paramref name="role"/> in the session's tenant.</summary>
    public async Task<HashSet<string>> ResolveAsync(Sdk.Data.TenantSession session, string role, CancellationToken cancellationToken)
    {
        var overrides = await LoadOverridesAsync(session, role, cancellationToken);
        return Effective(role, overrides.GetValueOrDefault(role) ?? []);
    }

    /// <summary>The tenant's edits of the role map, by role then permission (<c>true</c> = granted, <c>false</c> = revoked).</summary>
    public static async Task<Dictionary<string, Dictionary<string, bool>>> LoadOverridesAsync(
        Sdk.Data.TenantSession session, string? role, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand(
            "SELECT role, permission, granted FROM core.role_permissions WHERE @role::text IS NULL OR role = @role");
        command.Parameters.AddWithValue("role", NpgsqlTypes.NpgsqlDbType.Text, (object?)role ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadOverridesAsync(reader, cancellationToken);
    }

    /// <summary>Reads rows of <c>role, permission, granted</c> into the tenant's edits by role.</summary>
    internal static async Task<Dictionary<string, Dictionary<string, bool>>> ReadOverridesAsync(
        Npgsql.NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, Dictionary<string, bool>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var role = reader.GetString(reader.GetOrdinal("role"));
            var forRole = overrides.TryGetValue(role, out var existing) ? existing : overrides[role] = new Dictionary<string, bool>(StringComparer.Ordinal);
            forRole[reader.GetString(reader.GetOrdinal("permission"))] = reader.GetBoolean(reader.GetOrdinal("granted"));
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
        // An edit stored before the rule existed (or written behind the API's back) still cannot
        // give a role what it may never hold.
        granted.RemoveWhere(p => Roles.NeverHolds(role, p) is not null);
        // The Owner can always manage users, so a tenant can never lock itself out of its own administration.
        if (role == Roles.Owner)
        {
            granted.Add(CorePermissions.AdminUsers);
        }
        return granted;
    }
}

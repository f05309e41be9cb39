using System.Collections.Frozen;
using Npgsql;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Tenancy;

/// <summary>The outcome of resolving an API key: the caller, or why the key is refused.</summary>
internal sealed record KeyResolution(Caller? Caller, string? Failure);

/// <summary>
/// Turns a session (organization, user, security stamp) or an API key into the <see cref="Caller"/>
/// of a request: from <see cref="CallerCache"/> when it holds them, else from PostgreSQL in one
/// tenant transaction whose reads go in one round trip. A disabled user or organization, a changed
/// stamp, a revoked or expired key resolve to nothing.
/// </summary>
internal sealed class CallerResolver(QmsDataSources dataSources, PermissionResolver permissions, CallerCache cache, TimeProvider clock)
{
    /// <summary>
    /// The caller of a session, or null. <paramref name="stamp"/> is the security stamp the session
    /// began with; null skips that check (a job or the test kit acting for the user).
    /// </summary>
    public async Task<Caller?> ResolveSessionAsync(Guid orgId, Guid userId, Guid? stamp, string method, CancellationToken cancellationToken)
    {
        if (!cache.TryGetUser(orgId, userId, out var user))
        {
            var generation = cache.Generation;
            user = await LoadUserAsync(orgId, userId, cancellationToken);
            if (user is null)
            {
                return null;
            }
            cache.Store(user, generation);
        }
        if (stamp is not null && stamp != user.Stamp)
        {
            return null;
        }
        return new Caller(orgId, userId, user.SiteId, user.Name, user.Role, Permissions(user, user.Role), method, null,
            user.DisabledPlugins.ToFrozenSet(StringComparer.Ordinal));
    }

    public async Task<KeyResolution> ResolveKeyAsync(ApiKeyToken token, CancellationToken cancellationToken)
    {
        if (!cache.TryGetKey(token.KeyId, out var key))
        {
            var generation = cache.Generation;
            var orgId = await dataSources.ResolveApiKeyAsync(token.KeyId, cancellationToken);
            key = orgId is null ? null! : await LoadKeyAsync(orgId.Value, token, cancellationToken);
            if (key is null)
            {
                return new KeyResolution(null, "Unknown API key.");
            }
            cache.Store(key, generation);
        }
        if (!token.Matches(key.SecretHash))
        {
            return new KeyResolution(null, "Unknown API key.");
        }
        var failure = key.Revoked ? "This API key was revoked."
            : key.ExpiresAt < clock.GetUtcNow() ? "This API key has expired."
            : key.Owner is null ? "The owner of this API key is disabled."
            : null;
        if (failure is not null)
        {
            return new KeyResolution(null, failure);
        }
        var owner = key.Owner!;
        // Never more than both: what the key was issued as, and what its owner may do now (finding 1 of #18).
        var granted = Permissions(owner, key.Role).Intersect(Permissions(owner, owner.Role)).ToFrozenSet(StringComparer.Ordinal);
        return new KeyResolution(new Caller(key.OrgId, owner.UserId, owner.SiteId, owner.Name, RoleInForce(key.Role, owner.Role), granted, "apikey", key.KeyId,
            owner.DisabledPlugins.ToFrozenSet(StringComparer.Ordinal), owner.Role), null);
    }

    /// <summary>
    /// The role a key shows: its own while its owner could still grant it, the owner's when the owner
    /// was demoted below it, and its own when the two are not on one ladder (an Auditor key).
    /// </summary>
    internal static string RoleInForce(string keyRole, string ownerRole) =>
        Roles.CanGrant(ownerRole, keyRole) ? keyRole : Roles.CanGrant(keyRole, ownerRole) ? ownerRole : keyRole;

    private FrozenSet<string> Permissions(UserState user, string role) =>
        permissions.Effective(role, user.Overrides.GetValueOrDefault(role) ?? []).ToFrozenSet(StringComparer.Ordinal);

    private const string UserColumns = "u.user_id, u.display_name, u.role, u.site_id, u.security_stamp, u.disabled";

    private async Task<UserState?> LoadUserAsync(Guid orgId, Guid userId, CancellationToken cancellationToken)
    {
        await using var session = await dataSources.BeginTenantAsync(orgId, userId, cancellationToken);
        await using var batch = Batch(session, $"SELECT {UserColumns} FROM core.users u WHERE u.user_id = @id", ("id", userId));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var row = await reader.ReadAsync(cancellationToken) ? ReadUserRow(reader) : null;
        var state = await ReadRestAsync(reader, orgId, row, cancellationToken);
        return state;
    }

    private async Task<KeyState?> LoadKeyAsync(Guid orgId, ApiKeyToken token, CancellationToken cancellationToken)
    {
        await using var session = await dataSources.BeginTenantAsync(orgId, null, cancellationToken);
        KeyState? key;
        await using (var batch = Batch(session, $"""
            SELECT k.secret_hash, k.role AS key_role, k.revoked_at IS NOT NULL AS revoked, k.expires_at, {UserColumns}
            FROM core.api_keys k JOIN core.users u ON u.user_id = k.user_id WHERE k.key_id = @id
            """, ("id", token.KeyId)))
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            var (hash, role, revoked) = (reader.GetFieldValue<byte[]>(reader.GetOrdinal("secret_hash")), reader.GetString(reader.GetOrdinal("key_role")),
                reader.GetBoolean(reader.GetOrdinal("revoked")));
            var expires = reader.IsDBNull(reader.GetOrdinal("expires_at")) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("expires_at"));
            var owner = await ReadRestAsync(reader, orgId, ReadUserRow(reader), cancellationToken);
            key = new KeyState(token.KeyId, orgId, hash, role, revoked, expires, owner);
        }
        // Recorded at most once a minute per key (and only when the secret matched), so a busy client does not write on every request.
        if (token.Matches(key.SecretHash))
        {
            await using var touch = session.CreateCommand("""
                UPDATE core.api_keys SET last_used_at = now()
                WHERE key_id = @id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                """);
            touch.Parameters.AddWithValue("id", token.KeyId);
            await touch.ExecuteNonQueryAsync(cancellationToken);
            await session.CommitAsync(cancellationToken);
        }
        return key;
    }

    // The user's row (null when disabled), then in the same round trip the tenant's role-map edits, its
    // switched-off plugins and whether the organization is enabled.
    private static NpgsqlBatch Batch(TenantSession session, string first, (string Name, object Value) parameter)
    {
        var batch = new NpgsqlBatch(session.Connection, session.Transaction);
        var command = new NpgsqlBatchCommand(first);
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        batch.BatchCommands.Add(command);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT role, permission, granted FROM core.role_permissions"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT plugin_id FROM core.plugin_settings WHERE NOT enabled"));
        var enabled = new NpgsqlBatchCommand("SELECT core.organization_enabled(@org)");
        enabled.Parameters.AddWithValue("org", session.OrgId);
        batch.BatchCommands.Add(enabled);
        return batch;
    }

    private sealed record UserRow(Guid UserId, string Name, string Role, Guid? SiteId, Guid Stamp, bool Disabled);

    private static UserRow ReadUserRow(NpgsqlDataReader reader) => new(
        reader.GetGuid(reader.GetOrdinal("user_id")), reader.GetString(reader.GetOrdinal("display_name")), reader.GetString(reader.GetOrdinal("role")),
        reader.IsDBNull(reader.GetOrdinal("site_id")) ? null : reader.GetGuid(reader.GetOrdinal("site_id")),
        reader.GetGuid(reader.GetOrdinal("security_stamp")), reader.GetBoolean(reader.GetOrdinal("disabled")));

    private static async Task<UserState?> ReadRestAsync(NpgsqlDataReader reader, Guid orgId, UserRow? row, CancellationToken cancellationToken)
    {
        await reader.NextResultAsync(cancellationToken);
        var overrides = await PermissionResolver.ReadOverridesAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            disabled.Add(reader.GetString(0));
        }
        await reader.NextResultAsync(cancellationToken);
        var organizationEnabled = await reader.ReadAsync(cancellationToken) && reader.GetBoolean(0);
        return row is null || row.Disabled || !organizationEnabled
            ? null
            : new UserState(orgId, row.UserId, row.Name, row.Role, row.SiteId, row.Stamp, overrides, disabled);
    }
}

using Npgsql;
using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Identity;

/// <summary>A user as the admin API shows it and as audit events record it: never the password hash.</summary>
public sealed record UserDto(
    Guid Id, string Login, string DisplayName, string Role, string? SiteCode, bool Disabled,
    bool HasPassword, bool LinkedToSingleSignOn, DateTimeOffset CreatedAt);

public sealed record UserPage(IReadOnlyList<UserDto> Items, int Page, int PageSize, long Total);

/// <summary>Reads and changes <c>core.users</c> inside a tenant session, so row-level security scopes every statement.</summary>
internal static class UserDirectory
{
    private const string Columns = """
        u.user_id, u.login, u.display_name, u.role, s.code AS site_code, u.disabled,
        u.password_hash IS NOT NULL AS has_password, u.external_subject IS NOT NULL AS linked, u.created_at
        FROM core.users u LEFT JOIN core.sites s ON s.site_id = u.site_id
        """;

    public static async Task<UserPage> ListAsync(TenantSession session, int page, int pageSize, CancellationToken cancellationToken)
    {
        long total;
        await using (var count = session.CreateCommand("SELECT count(*) FROM core.users"))
        {
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        await using var command = session.CreateCommand($"SELECT {Columns} ORDER BY u.login LIMIT @limit OFFSET @offset");
        command.Parameters.AddWithValue("limit", pageSize);
        command.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        return new UserPage(await ReadAllAsync(command, cancellationToken), page, pageSize, total);
    }

    /// <summary>The user, or null when the tenant has none with that id. <paramref name="forUpdate"/> locks the row until commit.</summary>
    public static async Task<UserDto?> FindAsync(TenantSession session, Guid userId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand($"SELECT {Columns} WHERE u.user_id = @id {(forUpdate ? "FOR UPDATE OF u" : "")}");
        command.Parameters.AddWithValue("id", userId);
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// How many enabled Owners the tenant has, locking their rows: two admins demoting the last two
    /// Owners at once are serialized, and the second sees one Owner left.
    /// </summary>
    public static async Task<int> LockEnabledOwnersAsync(TenantSession session, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand("SELECT user_id FROM core.users WHERE role = 'Owner' AND NOT disabled FOR UPDATE");
        var owners = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            owners++;
        }
        return owners;
    }

    /// <summary>Runs an UPDATE of one user (<paramref name="set"/> is a fixed SQL fragment, values go in as parameters).</summary>
    public static async Task UpdateAsync(
        TenantSession session, Guid userId, string set, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = session.CreateCommand($"UPDATE core.users SET {set} WHERE user_id = @id");
        command.Parameters.AddWithValue("id", userId);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value is null
                ? new NpgsqlParameter(name, DBNull.Value)
                : new NpgsqlParameter(name, value));
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<UserDto>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var users = new List<UserDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(new UserDto(
                reader.GetGuid(reader.GetOrdinal("user_id")), reader.GetString(reader.GetOrdinal("login")),
                reader.GetString(reader.GetOrdinal("display_name")), reader.GetString(reader.GetOrdinal("role")),
                reader.IsDBNull(reader.GetOrdinal("site_code")) ? null : reader.GetString(reader.GetOrdinal("site_code")),
                reader.GetBoolean(reader.GetOrdinal("disabled")), reader.GetBoolean(reader.GetOrdinal("has_password")),
                reader.GetBoolean(reader.GetOrdinal("linked")), reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("created_at"))));
        }
        return users;
    }
}

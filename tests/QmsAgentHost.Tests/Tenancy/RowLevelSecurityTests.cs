using Npgsql;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Tenancy;

/// <summary>
/// Isolation at the database, for every tenant-owned table in every schema (host and plugins),
/// found from the catalog so a table added later is covered without touching this test.
/// </summary>
public sealed class RowLevelSecurityTests(TwoTenantsFixture fixture) : IClassFixture<TwoTenantsFixture>
{
    private const string InsufficientPrivilege = "42501";

    [Fact]
    public async Task Tenant_A_can_neither_see_count_change_nor_delete_any_row_of_tenant_B_in_any_table()
    {
        var tables = await TenantTablesAsync();
        var withDataOfB = 0;
        foreach (var table in tables)
        {
            var rowsOfB = await SuperuserCountAsync($"SELECT count(*) FROM {table} WHERE org_id = @b");
            withDataOfB += rowsOfB > 0 ? 1 : 0;

            Assert.Equal(0, await AsTenantAsync(fixture.A.OrgId, $"SELECT count(*) FROM {table} WHERE org_id = @b", table));
            Assert.Equal(0, await AsTenantAsync(fixture.A.OrgId, $"SELECT count(*) FROM {table} WHERE org_id <> @a", table));
            Assert.Equal(0, await AsTenantAsync(fixture.A.OrgId, $"UPDATE {table} SET org_id = org_id WHERE org_id = @b", table));
            Assert.Equal(0, await AsTenantAsync(fixture.A.OrgId, $"DELETE FROM {table} WHERE org_id = @b", table));
        }
        // Guard against a vacuous pass: B really has rows in the host's and the plugin's tables.
        Assert.True(withDataOfB >= 6, $"only {withDataOfB} tables hold rows of tenant B");
        Assert.Contains("hello.guest_book", tables);
        Assert.Contains("core.audit_events", tables);
    }

    [Fact]
    public async Task A_connection_without_a_tenant_sees_no_row_of_any_tenant_table()
    {
        foreach (var table in await TenantTablesAsync())
        {
            Assert.Equal(0, await AsTenantAsync(null, $"SELECT count(*) FROM {table}", table));
        }
    }

    [Fact]
    public async Task Tenant_A_cannot_write_rows_that_belong_to_tenant_B()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => AsTenantAsync(fixture.A.OrgId, """
            INSERT INTO hello.guest_book (org_id, name, message, signed_by, signed_at)
            VALUES (@b, 'intruder', 'planted', gen_random_uuid(), now())
            """, "hello.guest_book"));
        Assert.Contains("row-level security", error.MessageText);

        var moved = await Assert.ThrowsAsync<PostgresException>(() => AsTenantAsync(fixture.A.OrgId,
            "UPDATE hello.guest_book SET org_id = @b WHERE org_id = @a", "hello.guest_book"));
        Assert.Contains("row-level security", moved.MessageText);
    }

    [Fact]
    public async Task Every_tenant_table_forces_row_level_security_with_a_policy_or_is_closed_to_the_application()
    {
        await using var connection = await TestDatabase.OpenAsync(fixture.Database.AdminConnectionString);
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname || '.' || c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
              AND has_table_privilege('qms_runtime', c.oid, 'SELECT')
            """, connection);
        var exposed = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            exposed.Add(reader.GetString(0));
        }
        Assert.Empty(exposed);
    }

    [Fact]
    public async Task The_application_role_is_not_privileged_and_owns_nothing()
    {
        await using var connection = await TestDatabase.OpenAsync(fixture.Database.AppConnectionString);
        await using var command = new NpgsqlCommand("""
            SELECT rolsuper, rolbypassrls,
                   (SELECT count(*) FROM pg_class WHERE relowner = r.oid AND relkind IN ('r', 'p'))
            FROM pg_roles r WHERE rolname = current_user
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.False(reader.GetBoolean(0));
        Assert.False(reader.GetBoolean(1));
        Assert.Equal(0, reader.GetInt64(2));
    }

    private async Task<List<string>> TenantTablesAsync()
    {
        await using var connection = await TestDatabase.OpenAsync(fixture.Database.AdminConnectionString);
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname || '.' || c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1
            """, connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    // Runs one statement as the application role with the tenant set as the host sets it, inside a
    // transaction that is rolled back. A table the application may not touch at all counts as 0 rows.
    private async Task<long> AsTenantAsync(Guid? orgId, string sql, string table)
    {
        await using var connection = await TestDatabase.OpenAsync(fixture.Database.AppConnectionString);
        await using var transaction = await connection.BeginTransactionAsync();
        if (orgId is { } org)
        {
            await fixture.Database.BindTenantAsync(connection, transaction, org);
        }
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("a", fixture.A.OrgId);
        command.Parameters.AddWithValue("b", fixture.B.OrgId);
        try
        {
            return sql.StartsWith("SELECT", StringComparison.Ordinal)
                ? (long)(await command.ExecuteScalarAsync())!
                : await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException ex) when (ex.SqlState == InsufficientPrivilege && ex.MessageText.StartsWith("permission denied", StringComparison.Ordinal))
        {
            // Refused outright is as good as zero rows, except for reads the product itself depends on.
            if (sql.StartsWith("SELECT", StringComparison.Ordinal))
            {
                Assert.DoesNotContain(table, TablesTheApplicationMustReach);
            }
            return 0;
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }

    private static readonly string[] TablesTheApplicationMustReach = ["hello.guest_book", "core.users", "core.audit_events", "core.organizations"];

    private async Task<long> SuperuserCountAsync(string sql)
    {
        await using var connection = await TestDatabase.OpenAsync(fixture.Database.SuperuserConnectionString);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("b", fixture.B.OrgId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

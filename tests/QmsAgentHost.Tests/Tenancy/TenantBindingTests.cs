using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using QmsAgentHost.Data;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Tenancy;

/// <summary>
/// The tenant binding cannot be forged from SQL on the application role (ADR 0010): whatever a
/// plugin's statement (or an injection into it) runs, it reads only the tenant the host bound.
/// </summary>
public sealed class TenantBindingTests(TwoTenantsFixture fixture) : IClassFixture<TwoTenantsFixture>
{
    private const string InsufficientPrivilege = "42501";

    private QmsDataSources DataSources => fixture.Factory.Services.GetRequiredService<QmsDataSources>();

    [Fact]
    public async Task Set_config_inside_a_session_bound_to_A_reads_nothing_of_B()
    {
        await using var session = await DataSources.BeginTenantAsync(fixture.A.OrgId, null, CancellationToken.None);
        await ExecuteAsync(session.CreateCommand($"SELECT set_config('app.org_id', '{fixture.B.OrgId}', true), set_config('app.user_id', '{fixture.B.UserId(Roles.Owner)}', true)"));

        Assert.Equal(0, await CountAsync(session.CreateCommand($"SELECT count(*) FROM hello.guest_book WHERE org_id = '{fixture.B.OrgId}'")));
        Assert.Equal(0, await CountAsync(session.CreateCommand($"SELECT count(*) FROM core.users WHERE org_id <> '{fixture.A.OrgId}'")));
        Assert.Equal(2, await CountAsync(session.CreateCommand("SELECT count(*) FROM hello.guest_book")));
        await using var current = session.CreateCommand("SELECT core.current_org_id()");
        Assert.Equal(fixture.A.OrgId, await current.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Set_config_on_a_plain_connection_or_after_ending_the_bound_transaction_reads_nothing()
    {
        await using (var connection = await TestDatabase.OpenAsync(fixture.Database.AppConnectionString))
        {
            await using var forge = new NpgsqlCommand($"SELECT set_config('app.org_id', '{fixture.B.OrgId}', false)", connection);
            await forge.ExecuteNonQueryAsync();
            await using var read = new NpgsqlCommand("SELECT count(*) FROM hello.guest_book", connection);
            Assert.Equal(0L, await read.ExecuteScalarAsync());
        }

        // A plugin holding a bound session commits it from inside and starts its own transaction.
        await using var session = await DataSources.BeginTenantAsync(fixture.A.OrgId, null, CancellationToken.None);
        await using (var escape = session.CreateCommand($"COMMIT; BEGIN; SELECT set_config('app.org_id', '{fixture.B.OrgId}', true)"))
        {
            await escape.ExecuteNonQueryAsync();
        }
        await using var after = session.CreateCommand("SELECT count(*) FROM hello.guest_book");
        Assert.Equal(0L, await after.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("SELECT core.bind_tenant('not-the-secret-not-the-secret-not-the-secret', '{B}', NULL)")]
    [InlineData("SELECT secret FROM core.binding_secret")]
    [InlineData("INSERT INTO core.tenant_bindings (pid, bound_at, org_id) VALUES (pg_backend_pid(), transaction_timestamp(), '{B}')")]
    [InlineData("UPDATE core.tenant_bindings SET org_id = '{B}'")]
    [InlineData("SET ROLE qms_owner")]
    public async Task The_application_role_can_neither_read_the_secret_nor_write_a_binding(string sql)
    {
        await using var session = await DataSources.BeginTenantAsync(fixture.A.OrgId, null, CancellationToken.None);
        await using var command = session.CreateCommand(sql.Replace("{B}", fixture.B.OrgId.ToString(), StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task Every_tenant_policy_reads_the_binding_once_per_statement()
    {
        await using var connection = await TestDatabase.OpenAsync(fixture.Database.AdminConnectionString);
        await using var command = new NpgsqlCommand(
            "SELECT schemaname || '.' || tablename FROM pg_policies WHERE qual LIKE '%current_org_id%' AND qual NOT LIKE '%( SELECT core.current_org_id()%'", connection);
        var perRow = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            perRow.Add(reader.GetString(0));
        }
        Assert.Empty(perRow);
    }

    private static async Task ExecuteAsync(NpgsqlCommand command)
    {
        await using (command)
        {
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<long> CountAsync(NpgsqlCommand command)
    {
        await using (command)
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
    }
}

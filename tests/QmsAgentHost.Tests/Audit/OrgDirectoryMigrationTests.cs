using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using QmsAgentHost.Data;
using QmsAgentHost.Data.Migrations;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Audit;

/// <summary>The slug directory behind <c>audit verify --org</c> (migration 0004).</summary>
public sealed class OrgDirectoryMigrationTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Organizations_from_before_the_migration_and_after_it_are_in_the_directory_and_only_the_owner_reads_it()
    {
        await using var dataSources = new QmsDataSources(new DatabaseOptions
        {
            ConnectionString = _database.AppConnectionString,
            AdminConnectionString = _database.AdminConnectionString,
        });
        var runner = new MigrationRunner(dataSources, NullLogger<MigrationRunner>.Instance);
        var before0004 = CoreMigrations.Batch.Scripts.Where(s => string.CompareOrdinal(s.Name, "0004") < 0).ToList();
        await runner.ApplyAsync([new MigrationBatch("core", before0004)], CancellationToken.None);
        // Before the tenant binding (0010) existed, the owner sees past row-level security only as a superuser.
        var older = await CreateOrganizationAsync(_database.SuperuserConnectionString, "older-org");

        await runner.ApplyAsync([CoreMigrations.Batch], CancellationToken.None);
        var newer = await CreateOrganizationAsync(dataSources, "newer-org");

        await using var owner = await TestDatabase.OpenAsync(_database.AdminConnectionString);
        await using (var read = new NpgsqlCommand("SELECT slug, org_id FROM core.org_directory ORDER BY slug", owner))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            var rows = new List<(string, Guid)>();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetGuid(1)));
            }
            Assert.Equal([("newer-org", newer), ("older-org", older)], rows);
        }
        await using var app = await TestDatabase.OpenAsync(_database.AppConnectionString);
        await using var denied = new NpgsqlCommand("SELECT count(*) FROM core.org_directory", app);
        var error = await Assert.ThrowsAsync<PostgresException>(() => denied.ExecuteScalarAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    private static async Task<Guid> CreateOrganizationAsync(string superuser, string slug)
    {
        var orgId = Guid.NewGuid();
        await using var connection = await TestDatabase.OpenAsync(superuser);
        await using var command = new NpgsqlCommand("INSERT INTO core.organizations (org_id, name, slug) VALUES (@id, @slug, @slug)", connection);
        command.Parameters.AddWithValue("id", orgId);
        command.Parameters.AddWithValue("slug", slug);
        await command.ExecuteNonQueryAsync();
        return orgId;
    }

    private static async Task<Guid> CreateOrganizationAsync(QmsDataSources dataSources, string slug)
    {
        var orgId = Guid.NewGuid();
        await using var session = await dataSources.BeginTenantAsync(orgId, null, CancellationToken.None);
        await using var command = session.CreateCommand("INSERT INTO core.organizations (org_id, name, slug) VALUES (@id, @slug, @slug)");
        command.Parameters.AddWithValue("id", orgId);
        command.Parameters.AddWithValue("slug", slug);
        await command.ExecuteNonQueryAsync();
        await session.CommitAsync();
        return orgId;
    }
}

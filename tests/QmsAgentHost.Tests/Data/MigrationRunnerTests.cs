using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using QmsAgentHost.Data;
using QmsAgentHost.Data.Migrations;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Data;

public sealed class MigrationRunnerTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private MigrationRunner NewRunner(out QmsDataSources dataSources)
    {
        dataSources = new QmsDataSources(new DatabaseOptions
        {
            ConnectionString = _database.AppConnectionString,
            AdminConnectionString = _database.AdminConnectionString,
        });
        return new MigrationRunner(dataSources, NullLogger<MigrationRunner>.Instance);
    }

    [Fact]
    public async Task Core_migrations_apply_once_and_a_second_run_applies_nothing()
    {
        var runner = NewRunner(out var dataSources);
        await using var _ = dataSources;

        var first = await runner.ApplyAsync([CoreMigrations.Batch], CancellationToken.None);
        var second = await runner.ApplyAsync([CoreMigrations.Batch], CancellationToken.None);

        Assert.Equal(CoreMigrations.Batch.Scripts.Select(s => $"core/{s.Name}"), first);
        Assert.Empty(second);
        Assert.Equal(CoreMigrations.Batch.Scripts.Count, await CountHistoryAsync("core"));
    }

    [Fact]
    public async Task A_changed_applied_migration_is_an_error()
    {
        var runner = NewRunner(out var dataSources);
        await using var _ = dataSources;
        await runner.ApplyAsync([CoreMigrations.Batch], CancellationToken.None);
        var original = new MigrationBatch("demo", [new MigrationScript("demo", "0001_notes.sql", "CREATE TABLE demo.notes (id int);")]);
        await runner.ApplyAsync([original], CancellationToken.None);

        var edited = new MigrationBatch("demo", [new MigrationScript("demo", "0001_notes.sql", "CREATE TABLE demo.notes (id bigint);")]);
        var error = await Assert.ThrowsAsync<MigrationChecksumException>(() => runner.ApplyAsync([edited], CancellationToken.None));

        Assert.Contains("demo/0001_notes.sql was changed after it was applied", error.Message);
    }

    [Fact]
    public async Task Line_ending_changes_do_not_count_as_changes()
    {
        var runner = NewRunner(out var dataSources);
        await using var _ = dataSources;
        await runner.ApplyAsync([CoreMigrations.Batch], CancellationToken.None);
        await runner.ApplyAsync([new MigrationBatch("demo", [new MigrationScript("demo", "0001_a.sql", "CREATE TABLE demo.a (id int);\nSELECT 1;")])], CancellationToken.None);

        var applied = await runner.ApplyAsync([new MigrationBatch("demo", [new MigrationScript("demo", "0001_a.sql", "CREATE TABLE demo.a (id int);\r\nSELECT 1;")])], CancellationToken.None);

        Assert.Empty(applied);
    }

    [Fact]
    public async Task Two_runners_at_once_apply_each_migration_exactly_once()
    {
        var first = NewRunner(out var firstSources);
        var second = NewRunner(out var secondSources);
        await using var a = firstSources;
        await using var b = secondSources;
        // Not idempotent on purpose: a second application would fail on CREATE TABLE.
        var batch = new MigrationBatch("race", [new MigrationScript("race", "0001_slow.sql", "CREATE TABLE race.t (id int); SELECT pg_sleep(0.3);")]);

        var results = await Task.WhenAll(
            first.ApplyAsync([CoreMigrations.Batch, batch], CancellationToken.None),
            second.ApplyAsync([CoreMigrations.Batch, batch], CancellationToken.None));

        Assert.Single(results.SelectMany(r => r), name => name == "race/0001_slow.sql");
        Assert.Equal(1, await CountHistoryAsync("race"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_no_trace_and_says_which_one()
    {
        var runner = NewRunner(out var dataSources);
        await using var _ = dataSources;
        await runner.ApplyAsync([CoreMigrations.Batch], CancellationToken.None);
        var batch = new MigrationBatch("broken", [new MigrationScript("broken", "0001_typo.sql", "CREATE TABLE broken.t (id int); SELEC 1;")]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.ApplyAsync([batch], CancellationToken.None));

        Assert.Contains("broken/0001_typo.sql failed", error.Message);
        Assert.Equal(0, await CountHistoryAsync("broken"));
        await using var connection = await TestDatabase.OpenAsync(_database.AdminConnectionString);
        await using var command = new NpgsqlCommand("SELECT to_regclass('broken.t') IS NULL", connection);
        Assert.True((bool)(await command.ExecuteScalarAsync())!);
    }

    private async Task<long> CountHistoryAsync(string schema)
    {
        await using var connection = await TestDatabase.OpenAsync(_database.AdminConnectionString);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM core.schema_migrations WHERE schema_name = @s", connection);
        command.Parameters.AddWithValue("s", schema);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

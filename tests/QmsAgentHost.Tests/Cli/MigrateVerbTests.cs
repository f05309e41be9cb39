using System.Diagnostics;
using Npgsql;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Cli;

/// <summary>The host executable's <c>migrate</c> verb, run as an operator would run it.</summary>
public sealed class MigrateVerbTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Migrate_applies_core_quartz_and_plugin_schemas_then_exits_and_is_idempotent()
    {
        var first = await RunHostAsync("migrate");
        var second = await RunHostAsync("migrate");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Core schema is up to date.", first.Output);
        Assert.Contains("Plugin hello: up to date.", first.Output);
        Assert.Equal(0, second.ExitCode);
        await using var connection = await TestDatabase.OpenAsync(_database.AdminConnectionString);
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(DISTINCT schema_name, ',' ORDER BY schema_name) FROM core.schema_migrations", connection);
        Assert.Equal("core,hello,quartz", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_unknown_verb_is_a_usage_error()
    {
        var result = await RunHostAsync("frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown verb 'frobnicate'", result.Output);
    }

    private async Task<(int ExitCode, string Output)> RunHostAsync(string verb)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var hostDll = Path.Combine(RepoPaths.Root, "host", "QmsAgentHost", "bin", configuration, "net10.0", "QmsAgentHost.dll");
        var start = new ProcessStartInfo("dotnet", [hostDll, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        start.Environment["QMS_DB"] = _database.AppConnectionString;
        start.Environment["QMS_DB_ADMIN"] = _database.AdminConnectionString;
        start.Environment["QMS_PLUGINS"] = RepoPaths.Plugins;
        start.Environment["Seed__DemoTenant"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}

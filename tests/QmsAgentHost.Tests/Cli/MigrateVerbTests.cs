using System.Diagnostics;
using System.Reflection;
using Npgsql;
using QmsAgentHost.Data;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Cli;

/// <summary>The built host executable's <c>migrate</c> verb, run as an operator would run it.</summary>
public sealed class MigrateVerbTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly string _emptyPlugins = Directory.CreateTempSubdirectory("qms-no-plugins-").FullName;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_emptyPlugins, recursive: true);
    }

    [Fact]
    public async Task Migrate_applies_core_quartz_and_plugin_schemas_then_exits_and_is_idempotent()
    {
        var first = await RunHostAsync("migrate", DatabaseEnvironment(RepoPaths.Plugins));
        var second = await RunHostAsync("migrate", DatabaseEnvironment(RepoPaths.Plugins));

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Core schema is up to date.", first.Output, StringComparison.Ordinal);
        Assert.Contains("Plugin hello: up to date.", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        await using var connection = await TestDatabase.OpenAsync(_database.AdminConnectionString);
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(DISTINCT schema_name, ',' ORDER BY schema_name) FROM core.schema_migrations", connection);
        Assert.Equal("core,hello,quartz", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_applies_migrations_even_where_serving_is_configured_not_to()
    {
        var environment = DatabaseEnvironment(_emptyPlugins);
        environment["Database__MigrateOnStart"] = "false";

        var (exitCode, output) = await RunHostAsync("migrate", environment);

        Assert.True(exitCode == 0, output);
        Assert.Contains("Core schema is up to date.", output, StringComparison.Ordinal);
        await using var connection = await TestDatabase.OpenAsync(_database.AdminConnectionString);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM core.schema_migrations WHERE schema_name = 'core'", connection);
        Assert.Equal((long)CoreMigrations.Batch.Scripts.Count, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_unknown_verb_is_a_usage_error()
    {
        var (exitCode, output) = await RunHostAsync("frobnicate", DatabaseEnvironment(_emptyPlugins));

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown verb 'frobnicate'", output, StringComparison.Ordinal);
    }

    private Dictionary<string, string> DatabaseEnvironment(string plugins) => new()
    {
        ["QMS_DB"] = _database.AppConnectionString,
        ["QMS_DB_ADMIN"] = _database.AdminConnectionString,
        ["QMS_PLUGINS"] = plugins,
        ["Seed__DemoTenant"] = "false",
    };

    [Fact]
    public async Task Tenant_create_on_a_fresh_database_prints_only_json_on_standard_output()
    {
        var (exitCode, stdout, stderr) = await RunHostSeparatelyAsync(
            "tenant create --name \"Beta Castings\" --slug beta --owner owner@beta.example --site Detroit", DatabaseEnvironment(_emptyPlugins));

        Assert.True(exitCode == 0, stderr);
        var created = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("beta", created.GetProperty("slug").GetString());
        Assert.Equal("owner@beta.example", created.GetProperty("owner").GetProperty("login").GetString());
    }

    private static async Task<(int ExitCode, string Output)> RunHostAsync(string arguments, Dictionary<string, string> environment)
    {
        var (exitCode, stdout, stderr) = await RunHostSeparatelyAsync(arguments, environment);
        return (exitCode, stdout + stderr);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunHostSeparatelyAsync(string arguments, Dictionary<string, string> environment)
    {
        var configuration = typeof(MigrateVerbTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var host = Path.Combine(RepoPaths.Root, "host", "QmsAgentHost", "bin", configuration, "net10.0", "QmsAgentHost.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{host}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(host)!,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}

using Npgsql;

namespace QmsAgentHost.Sdk.Testing.Tests;

/// <summary>Starting, configuring and disposing hosts: each test makes its own.</summary>
public sealed class PluginTestHostTests
{
    [Fact]
    public async Task Plugin_settings_are_taken_from_the_options()
    {
        var options = new PluginTestHostOptions { Configuration = { ["PluginSettings:hello:Greeting"] = "Howdy" } };
        await using var host = await Deployed.StartHelloAsync(options);
        var viewer = await host.CreateUserAsync("Viewer");

        var greeting = await host.CallAsync(viewer, "greet", new { name = "Maria" });

        Assert.Equal("Howdy, Maria!", greeting.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Invalid_settings_refuse_the_plugin_as_the_host_would()
    {
        var options = new PluginTestHostOptions { Configuration = { ["PluginSettings:hello:Greeting"] = new string('x', 41) } };

        var refused = await Assert.ThrowsAsync<PluginRefusedException>(() => Deployed.StartHelloAsync(options));

        Assert.Equal("hello", refused.PluginId);
        Assert.Contains("settings HelloSettings (PluginSettings:hello) are invalid", refused.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("throwing", "threw in Configure: InvalidOperationException: the licence file is missing")]
    [InlineData("unprotected", "table unprotected.notes has no forced row-level security policy")]
    public async Task A_plugin_the_host_would_refuse_is_refused_with_the_same_reason(string fixture, string reason)
    {
        var refused = await Assert.ThrowsAsync<PluginRefusedException>(() =>
            PluginTestHost.StartAsync(Deployed.TestPlugin(fixture), Deployed.AdminConnectionString));

        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_clock_starts_where_the_options_say_and_only_moves_when_told()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 15, 0, TimeSpan.Zero).AddTicks(1_234_560); // .123456 s: PostgreSQL keeps microseconds
        await using var host = await Deployed.StartHelloAsync(new PluginTestHostOptions { StartTime = start });
        var analyst = await host.CreateUserAsync("Analyst");

        var first = await host.CallAsync(analyst, "sign_guest_book", new { name = "Maria", message = "hi" });
        host.Clock.SetUtcNow(start.AddHours(8));
        var second = await host.CallAsync(analyst, "sign_guest_book", new { name = "Maria", message = "bye" });

        Assert.Equal(start, first.GetProperty("signedAt").GetDateTimeOffset());
        Assert.Equal(start.AddHours(8), second.GetProperty("signedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Each_host_has_its_own_database_and_tenant()
    {
        await using var one = await Deployed.StartHelloAsync();
        await using var two = await Deployed.StartHelloAsync();
        var writer = await one.CreateUserAsync("Analyst");
        var reader = await two.CreateUserAsync("Viewer");

        await one.CallAsync(writer, "sign_guest_book", new { name = "Maria", message = "only here" });
        var seenByTwo = await two.CallAsync(reader, "list_guest_book");

        Assert.NotEqual(one.DatabaseName, two.DatabaseName);
        Assert.NotEqual(one.OrgId, two.OrgId);
        Assert.Empty(seenByTwo.EnumerateArray());
        Assert.Empty(await two.AuditEventsAsync());
    }

    [Fact]
    public async Task Disposing_drops_the_database()
    {
        var host = await Deployed.StartHelloAsync();
        var name = host.DatabaseName;
        Assert.True(await DatabaseExistsAsync(name));

        await host.DisposeAsync();
        await host.DisposeAsync();

        Assert.False(await DatabaseExistsAsync(name));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => host.CreateUserAsync("Viewer"));
    }

    [Fact]
    public async Task An_application_role_that_could_bypass_row_level_security_is_refused()
    {
        // The owner role owns every table, so it would not be subject to the tenant policies.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PluginTestHost.StartAsync(Deployed.Hello, Deployed.AdminConnectionString, appConnectionString: Deployed.AdminConnectionString));

        Assert.Contains("tenant isolation by row-level security cannot be guaranteed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_folder_or_connection_string_is_explained()
    {
        var folder = await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            PluginTestHost.StartAsync(Path.Combine(Path.GetTempPath(), "no-such-plugin"), Deployed.AdminConnectionString));
        var connection = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PluginTestHost.StartAsync(Deployed.Hello, connectionString: null));

        Assert.Contains("artifacts/plugins/<id>/", folder.Message, StringComparison.Ordinal);
        Assert.Contains("QMS_DB_ADMIN", connection.Message, StringComparison.Ordinal);
    }

    private static async Task<bool> DatabaseExistsAsync(string name)
    {
        var admin = new NpgsqlConnectionStringBuilder(Deployed.AdminConnectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", connection);
        command.Parameters.AddWithValue("name", name);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}

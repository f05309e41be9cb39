using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Data;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Identity;

public sealed class SeededHost : IdentityHost
{
    public const string DemoPassword = "Demo-password-for-tests";

    public static string DemoApiKey { get; } = ApiKeyToken.Create(Guid.NewGuid()).ToString();

    public static Dictionary<string, string?> SeedSettings => new()
    {
        ["Seed:DemoTenant"] = "true",
        ["Seed:DemoPassword"] = DemoPassword,
        ["Seed:DemoApiKey"] = DemoApiKey,
    };

    protected override Dictionary<string, string?> Settings => SeedSettings;
}

public sealed class DemoTenantSeederTests(SeededHost host) : IClassFixture<SeededHost>
{
    public static TheoryData<string, string, string> DemoUsers()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (login, name, role, _) in DemoTenantSeeder.Users)
        {
            data.Add(login, name, role);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DemoUsers))]
    public async Task Every_demo_user_signs_in_with_the_demo_password(string login, string displayName, string role)
    {
        var client = await host.SignInAsync(login, SeededHost.DemoPassword);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(role, me.GetProperty("role").GetString());
        Assert.Equal(displayName, me.GetProperty("name").GetString());
    }

    [Fact]
    public void The_demo_users_cover_every_role_across_both_sites()
    {
        Assert.Equal(Roles.All.Order(), DemoTenantSeeder.Users.Select(u => u.Role).Order());
        Assert.Equal(["DET", "MTY"], DemoTenantSeeder.Users.Select(u => u.Site).Distinct().Order());
        Assert.All(DemoTenantSeeder.Users, u => Assert.EndsWith("@acme.example", u.Login, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_configured_api_key_belongs_to_the_demo_owner()
    {
        var client = host.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SeededHost.DemoApiKey);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");

        Assert.Equal(Roles.Owner, me.GetProperty("role").GetString());
        Assert.Equal("Olivia Owner", me.GetProperty("name").GetString());
        var users = await client.GetFromJsonAsync<JsonElement>("/api/users");
        Assert.Equal(6, users.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_second_start_seeds_nothing_twice()
    {
        await using (var second = new QmsHostFactory(host.Database, RepoPaths.Plugins, SeededHost.SeedSettings))
        {
            _ = second.Server;
        }

        var dataSources = host.Factory.Services.GetRequiredService<QmsDataSources>();
        await using var resolve = dataSources.App.CreateCommand("SELECT core.resolve_org('acme')");
        var orgId = (Guid)(await resolve.ExecuteScalarAsync())!;
        await using var session = await dataSources.BeginTenantAsync(orgId, null, CancellationToken.None);
        await using var counts = session.CreateCommand("""
            SELECT (SELECT count(*) FROM core.organizations), (SELECT count(*) FROM core.sites), (SELECT count(*) FROM core.users),
                   (SELECT count(*) FROM core.api_keys), (SELECT count(*) FROM core.audit_events WHERE action IN ('tenant.created', 'apikey.created'))
            """);
        await using var reader = await counts.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal([1L, 2L, 6L, 1L, 2L], Enumerable.Range(0, 5).Select(reader.GetInt64));
    }

    [Fact]
    public async Task A_malformed_demo_api_key_stops_start_up_with_a_clear_message()
    {
        var settings = SeededHost.SeedSettings;
        settings["Seed:DemoApiKey"] = "not-a-key";
        await using var factory = new QmsHostFactory(host.Database, RepoPaths.Plugins, settings);

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains("QMS_DEMO_API_KEY", error.ToString(), StringComparison.Ordinal);
    }
}

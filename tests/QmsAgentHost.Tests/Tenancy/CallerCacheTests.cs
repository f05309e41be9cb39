using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using QmsAgentHost.Tests.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Tenancy;

public sealed class TwoNodesHost : IdentityHost
{
    public QmsHostFactory SecondNode { get; private set; } = null!;

    protected override Dictionary<string, string?> Settings => new() { ["Database:StatementTimeoutSeconds"] = "3" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SecondNode = new QmsHostFactory(Database, RepoPaths.Plugins, Settings);
        _ = SecondNode.Server;
    }

    public override async Task DisposeAsync()
    {
        await SecondNode.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>
/// A node resolves a known caller without asking PostgreSQL, and drops it at once, on every node,
/// when a key is revoked, a role changes or a user is disabled (LISTEN/NOTIFY, migration 0012).
/// </summary>
public sealed class CallerCacheTests(TwoNodesHost host) : IClassFixture<TwoNodesHost>
{
    private HttpClient OnSecondNode(TestTenant tenant, string role)
    {
        var client = host.SecondNode.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", tenant.ApiKeys[role]);
        return client;
    }

    // Notifications cross nodes in milliseconds; a bounded wait keeps a slow machine from failing the test.
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var result = await probe();
        for (var i = 0; i < 100 && !done(result); i++)
        {
            await Task.Delay(50);
            result = await probe();
        }
        return result;
    }

    [Fact]
    public async Task A_known_caller_is_served_without_reading_the_user_or_key_tables()
    {
        var tenant = await host.NewTenantAsync("cached");
        var client = tenant.ClientFor(Roles.Analyst);
        await EventuallyAsync(() => client.GetAsync("/api/auth/me"), r => r.IsSuccessStatusCode);
        (await client.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();

        await using var superuser = await TestDatabase.OpenAsync(host.Database.SuperuserConnectionString);
        await using var transaction = await superuser.BeginTransactionAsync();
        await using (var lockTables = new NpgsqlCommand("LOCK TABLE core.users, core.api_keys, core.role_permissions IN ACCESS EXCLUSIVE MODE", superuser, transaction))
        {
            await lockTables.ExecuteNonQueryAsync();
        }
        var me = await client.GetAsync("/api/auth/me");
        await transaction.RollbackAsync();

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Revoking_a_key_on_one_node_refuses_it_on_the_other()
    {
        var tenant = await host.NewTenantAsync("revoke2");
        var second = OnSecondNode(tenant, Roles.Analyst);
        (await second.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        var keyId = (await tenant.ClientFor(Roles.Analyst).GetFromJsonAsync<JsonElement>("/api/api-keys"))[0].GetProperty("id").GetGuid();

        (await tenant.ClientFor(Roles.Analyst).DeleteAsync($"/api/api-keys/{keyId}")).EnsureSuccessStatusCode();

        var after = await EventuallyAsync(() => second.GetAsync("/api/auth/me"), r => r.StatusCode == HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_role_change_or_disabling_on_one_node_takes_effect_on_the_other()
    {
        var tenant = await host.NewTenantAsync("role2");
        var second = OnSecondNode(tenant, Roles.Manager);
        Assert.Equal(Roles.Manager, (await second.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("role").GetString());

        (await tenant.ClientFor(Roles.Admin).PatchAsJsonAsync($"/api/users/{tenant.UserId(Roles.Manager)}", new { role = Roles.Viewer })).EnsureSuccessStatusCode();

        var demoted = await EventuallyAsync(
            async () => (await second.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("role").GetString(), r => r == Roles.Viewer);
        Assert.Equal(Roles.Viewer, demoted);

        (await tenant.ClientFor(Roles.Admin).PostAsync($"/api/users/{tenant.UserId(Roles.Manager)}/disable", null)).EnsureSuccessStatusCode();
        var refused = await EventuallyAsync(() => second.GetAsync("/api/auth/me"), r => r.StatusCode == HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}

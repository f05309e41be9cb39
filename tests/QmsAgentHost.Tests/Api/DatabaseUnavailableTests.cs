using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using QmsAgentHost.Data;
using QmsAgentHost.Tests.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Api;

/// <summary>A host with a pool of four connections, a one-second wait for one and a two-second statement timeout.</summary>
public sealed class SmallPoolHost : IdentityHost
{
    public const int PoolSize = 4;

    protected override Dictionary<string, string?> Settings => new()
    {
        ["Database:MaxPoolSize"] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Database:ConnectionWaitSeconds"] = "1",
        ["Database:StatementTimeoutSeconds"] = "2",
    };
}

/// <summary>
/// When PostgreSQL cannot serve (a statement runs out of time, the pool is exhausted, the database
/// refuses connections) the host answers 503 with Retry-After, quickly, never 500 and never a hang;
/// a load of four times the pool size gets only 2xx or 503.
/// </summary>
public sealed class DatabaseUnavailableTests(SmallPoolHost host) : IClassFixture<SmallPoolHost>
{
    private QmsDataSources DataSources => host.Factory.Services.GetRequiredService<QmsDataSources>();

    [Fact]
    public void The_pool_is_sized_from_configuration_within_the_servers_limit()
    {
        var sizes = DataSources.Sizes ?? throw new InvalidOperationException("pools not built");

        Assert.Equal(SmallPoolHost.PoolSize, sizes.AppPool);
        Assert.True(sizes.NodeBudget > 0, sizes.Reason);
        Assert.True(sizes.AppPool + sizes.AdminPool <= sizes.NodeBudget, sizes.Reason);
    }

    [Theory]
    [InlineData(100, 3, 1, 100, 67, 10)]
    [InlineData(400, 3, 1, 100, 100, 10)]
    [InlineData(100, 3, 4, 100, 15, 4)]
    [InlineData(20, 3, 2, 100, 4, 2)]
    public void The_sizing_rule_keeps_every_node_within_its_share(int serverMax, int reserved, int nodes, int configured, int app, int admin)
    {
        var sizes = PoolSizing.Decide(new DatabaseOptions { MaxPoolSize = configured, Nodes = nodes }, serverMax, reserved);

        Assert.Equal((app, admin), (sizes.AppPool, sizes.AdminPool));
        Assert.True(nodes * (sizes.AppPool + sizes.AdminPool) <= serverMax - reserved, sizes.Reason);
    }

    [Fact]
    public async Task A_statement_timeout_and_an_exhausted_pool_answer_503_and_a_load_of_four_times_the_pool_never_500()
    {
        var tenant = await host.NewTenantAsync("pool");
        var client = tenant.ClientFor(Roles.Owner);
        (await client.GetAsync("/api/users")).EnsureSuccessStatusCode();
        var load = SmallPoolHost.PoolSize * 4;

        List<HttpResponseMessage> blocked;
        await using (var superuser = await TestDatabase.OpenAsync(host.Database.SuperuserConnectionString))
        await using (var transaction = await superuser.BeginTransactionAsync())
        {
            await using (var lockUsers = new NpgsqlCommand("LOCK TABLE core.users IN ACCESS EXCLUSIVE MODE", superuser, transaction))
            {
                await lockUsers.ExecuteNonQueryAsync();
            }
            blocked = [.. await Task.WhenAll(Enumerable.Range(0, load).Select(_ => client.GetAsync("/api/users")))];
            await transaction.RollbackAsync();
        }
        var afterwards = await Task.WhenAll(Enumerable.Range(0, load).Select(_ => client.GetAsync("/api/users")));

        Assert.All(blocked, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.All(blocked, r => Assert.Equal(TimeSpan.FromSeconds(2), r.Headers.RetryAfter?.Delta));
        var problem = await HttpAssert.ProblemAsync(blocked[0], 503);
        Assert.Contains("Try again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.All(afterwards, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)r.StatusCode}"));
        Assert.Contains(afterwards, r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_database_that_refuses_connections_answers_503()
    {
        var tenant = await host.NewTenantAsync("down");
        var client = tenant.ClientFor(Roles.Owner);
        (await client.GetAsync("/api/users")).EnsureSuccessStatusCode();
        await SetAllowConnectionsAsync(false);
        try
        {
            DataSources.App.Clear();

            var response = await client.GetAsync("/api/users");

            await HttpAssert.ProblemAsync(response, 503);
            Assert.NotNull(response.Headers.RetryAfter);
        }
        finally
        {
            await SetAllowConnectionsAsync(true);
        }
        (await client.GetAsync("/api/users")).EnsureSuccessStatusCode();
    }

    private async Task SetAllowConnectionsAsync(bool allow)
    {
        // From another database: a session cannot shut the door of the database it is in.
        var maintenance = new NpgsqlConnectionStringBuilder(host.Database.SuperuserConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var superuser = await TestDatabase.OpenAsync(maintenance);
        await using var command = new NpgsqlCommand($"ALTER DATABASE {host.Database.Name} ALLOW_CONNECTIONS {(allow ? "true" : "false")}", superuser);
        await command.ExecuteNonQueryAsync();
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using QmsAgentHost.Data;
using QmsAgentHost.Identity;
using QmsAgentHost.Sdk.Testing;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Benchmarks;

/// <summary>
/// The cost of a call (issue #18), side by side in one run, each at 16 concurrent clients against the
/// same PostgreSQL: an authenticated read function through the whole host (API key, caller,
/// permission, plugin scope, one SELECT in the plugin's tenant transaction, JSON), a bare minimal-API
/// endpoint that runs the same SELECT in one tenant transaction, and a constant endpoint. The bare
/// endpoint is the baseline: its Ratio column is the function's time per request over the bare one's,
/// so the function's throughput is 1/Ratio of the bare endpoint's. Also: binding a transaction to a
/// tenant with <c>core.bind_tenant</c> against the old <c>set_config</c>, one client.
/// </summary>
[MemoryDiagnoser]
public class CallCostBenchmarks
{
    public const int Clients = 16;
    private const int RequestsPerClient = 25;

    private BenchHost _host = null!;
    private WebApplication _bare = null!;
    private HttpClient _hostClient = null!;
    private HttpClient _bareClient = null!;
    private QmsDataSources _dataSources = null!;
    private Guid _orgId;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _host = await BenchHost.StartAsync();
        _hostClient = _host.Client;
        _orgId = _host.OrgId;
        _dataSources = _host.Web.Services.GetRequiredService<QmsDataSources>();

        var bare = WebApplication.CreateSlimBuilder();
        bare.WebHost.UseTestServer();
        bare.Logging.ClearProviders();
        _bare = bare.Build();
        _bare.MapGet("/select", SelectAsync);
        _bare.MapGet("/constant", () => Results.Ok(new { ok = true }));
        await _bare.StartAsync();
        _bareClient = _bare.GetTestClient();
    }

    // The SELECT list_guest_book runs, in one tenant transaction, answered as JSON: the least a host could do.
    private async Task<IResult> SelectAsync(CancellationToken cancellationToken)
    {
        await using var session = await _dataSources.BeginTenantAsync(_orgId, null, cancellationToken);
        await using var command = session.CreateCommand(
            "SELECT entry_id, name, message, signed_at, approved_at, approved_by FROM hello.guest_book ORDER BY signed_at DESC, entry_id LIMIT @limit");
        command.Parameters.AddWithValue("limit", 20);
        var rows = new List<object>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new { id = reader.GetGuid(0), name = reader.GetString(1) });
        }
        return Results.Ok(rows);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _bareClient.Dispose();
        await _bare.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Benchmark(Description = "16 clients: read function (API key, one SELECT)", OperationsPerInvoke = Clients * RequestsPerClient)]
    public Task FunctionAsync() => ConcurrentlyAsync(async () =>
    {
        using var response = await _hostClient.PostAsJsonAsync("/api/plugins/hello/functions/list_guest_book", new { limit = 20 });
        response.EnsureSuccessStatusCode();
    });

    [Benchmark(Baseline = true, Description = "16 clients: bare minimal API, same SELECT in one transaction", OperationsPerInvoke = Clients * RequestsPerClient)]
    public Task BareSelectAsync() => ConcurrentlyAsync(async () =>
    {
        using var response = await _bareClient.GetAsync("/select");
        response.EnsureSuccessStatusCode();
    });

    [Benchmark(Description = "16 clients: constant endpoint", OperationsPerInvoke = Clients * RequestsPerClient)]
    public Task ConstantAsync() => ConcurrentlyAsync(async () =>
    {
        using var response = await _bareClient.GetAsync("/constant");
        response.EnsureSuccessStatusCode();
    });

    [Benchmark(Description = "16 clients: host GET /api/auth/me (API key, cached caller, no SQL)", OperationsPerInvoke = Clients * RequestsPerClient)]
    public Task HostMeAsync() => ConcurrentlyAsync(async () =>
    {
        using var response = await _hostClient.GetAsync("/api/auth/me");
        response.EnsureSuccessStatusCode();
    });

    [Benchmark(Description = "1 client: tenant transaction bound by core.bind_tenant + SELECT 1")]
    public async Task BindTenantAsync()
    {
        await using var session = await _dataSources.BeginTenantAsync(_orgId, null, CancellationToken.None);
        await using var command = session.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync();
    }

    [Benchmark(Description = "1 client: transaction bound by set_config (before #18) + SELECT 1")]
    public async Task SetConfigAsync()
    {
        await using var connection = await _dataSources.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var bind = new NpgsqlCommand("SELECT set_config('app.org_id', @org, true)", connection, transaction))
        {
            bind.Parameters.AddWithValue("org", _orgId.ToString());
            await bind.ExecuteNonQueryAsync();
        }
        await using var command = new NpgsqlCommand("SELECT 1", connection, transaction);
        await command.ExecuteScalarAsync();
        await transaction.RollbackAsync();
    }

    private static Task ConcurrentlyAsync(Func<Task> request) =>
        Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            for (var i = 0; i < RequestsPerClient; i++)
            {
                await request();
            }
        }));
}

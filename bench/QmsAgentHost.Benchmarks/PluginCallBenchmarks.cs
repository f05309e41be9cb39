using System.Net.Http.Headers;
using System.Net.Http.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Identity;
using QmsAgentHost.Sdk.Testing;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Benchmarks;

/// <summary>
/// What one plugin function call costs on this machine, end to end against the real PostgreSQL:
/// through the invoker (tenant context from the database, plugin switch, permission, DI scope,
/// argument binding, JSON result) and through the whole HTTP pipeline (API-key authentication,
/// tenant middleware, endpoint, problem details) on the in-memory test server.
/// </summary>
[MemoryDiagnoser]
public class PluginCallBenchmarks
{
    private PluginTestHost _kit = null!;
    private TestUser _analyst = null!;
    private BenchHost _web = null!;
    private HttpClient _client = null!;
    private int _n;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var admin = Environment.GetEnvironmentVariable("QMS_DB_ADMIN")
            ?? throw new InvalidOperationException("QMS_DB_ADMIN is not set: run bench/run.sh");
        var hello = Path.Combine(BenchPaths.Root, "artifacts", "plugins", "hello");
        _kit = await PluginTestHost.StartAsync(hello, admin);
        _analyst = await _kit.CreateUserAsync(Roles.Analyst);

        _web = await BenchHost.StartAsync();
        _client = _web.Client;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _web.DisposeAsync();
        await _kit.DisposeAsync();
    }

    [Benchmark(Description = "invoker: greet (read)")]
    public Task InvokerGreetAsync() => _kit.CallAsync(_analyst, "greet", new { name = "Ada" });

    [Benchmark(Description = "invoker: sign_guest_book (write + audit chain)")]
    public Task InvokerSignAsync() => _kit.CallAsync(_analyst, "sign_guest_book", new { name = "Ada", message = $"visit {_n++}" });

    [Benchmark(Description = "HTTP: POST greet with API key")]
    public async Task HttpGreetAsync()
    {
        using var response = await _client.PostAsJsonAsync("/api/plugins/hello/functions/greet", new { name = "Ada" });
        response.EnsureSuccessStatusCode();
    }

    [Benchmark(Description = "HTTP: GET /api/plugins")]
    public async Task HttpListPluginsAsync()
    {
        using var response = await _client.GetAsync("/api/plugins");
        response.EnsureSuccessStatusCode();
    }
}

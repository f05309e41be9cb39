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
    private ScratchDatabase _webDatabase = null!;
    private WebApplicationFactory<Program> _web = null!;
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

        var app = Environment.GetEnvironmentVariable("QMS_DB") ?? throw new InvalidOperationException("QMS_DB is not set: run bench/run.sh");
        _webDatabase = await ScratchDatabase.CreateAsync(admin, app, CancellationToken.None);
        _web = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Production")
            .UseContentRoot(Path.Combine(BenchPaths.Root, "host", "QmsAgentHost"))
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Qms"] = _webDatabase.AppConnectionString,
                ["ConnectionStrings:QmsAdmin"] = _webDatabase.AdminConnectionString,
                ["Plugins:Directory"] = Path.Combine(BenchPaths.Root, "artifacts", "plugins"),
                ["Seed:DemoTenant"] = "false",
                ["Scheduling:Enabled"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            })));
        var provisioner = _web.Services.GetRequiredService<TenantProvisioner>();
        var tenant = await provisioner.CreateAsync("Bench", "bench-" + Guid.NewGuid().ToString("N")[..8], [],
            [new NewUser("analyst@bench.test", "Bench Analyst", Roles.Analyst, "A-long-enough-passphrase")], CancellationToken.None);
        var (_, token) = await provisioner.CreateApiKeyAsync(tenant.OrgId, tenant.UserIds["analyst@bench.test"], "bench", Roles.Analyst, null, CancellationToken.None);
        _client = _web.CreateClient();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _web.DisposeAsync();
        await _webDatabase.DropAsync();
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

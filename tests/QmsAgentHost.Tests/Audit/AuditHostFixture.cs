using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Audit;

/// <summary>
/// The real host over a fresh database with the Hello plugin, plus a second host over the same
/// database whose <see cref="TimeProvider"/> the tests move by hand (signing-token expiry).
/// </summary>
public sealed class AuditHostFixture : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();
    public QmsHostFactory Factory { get; private set; } = null!;
    public ManualClock Clock { get; } = new(TimeProvider.System.GetUtcNow());
    public WebApplicationFactory<Program> ClockedFactory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        // Password checks pause after repeated failures; long enough here that a slow machine cannot outlast the pause.
        Factory = new QmsHostFactory(Database, RepoPaths.Plugins, new Dictionary<string, string?> { ["SignIn:FirstDelay"] = "00:10:00" });
        _ = Factory.Server;
        ClockedFactory = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock)));
        _ = ClockedFactory.Server;
    }

    public async Task DisposeAsync()
    {
        await ClockedFactory.DisposeAsync();
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>A tenant of its own for one test.</summary>
    public Task<TestTenant> NewTenantAsync(string prefix) => Factory.CreateTenantAsync($"{prefix}-{Guid.NewGuid():N}"[..24]);

    /// <summary>An API client of the clocked host for <paramref name="role"/> of <paramref name="tenant"/>.</summary>
    public HttpClient ClockedClientFor(TestTenant tenant, string role)
    {
        var client = ClockedFactory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKeys[role]);
        return client;
    }

    /// <summary>A session as the application role bound to <paramref name="orgId"/>, as the host opens them.</summary>
    public Task<TenantSession> BeginTenantAsync(Guid orgId) =>
        Factory.Services.GetRequiredService<QmsDataSources>().BeginTenantAsync(orgId, null, CancellationToken.None);

    public async Task<NpgsqlConnection> OpenSuperuserAsync()
    {
        Assert.False(string.IsNullOrEmpty(Database.SuperuserConnectionString),
            "QMS_DB_SUPERUSER is not set; tamper tests need a superuser (scripts/db.sh env provides one).");
        return await TestDatabase.OpenAsync(Database.SuperuserConnectionString);
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}

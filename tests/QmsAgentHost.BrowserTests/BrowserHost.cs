using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.BrowserTests;

/// <summary>
/// The real host on Kestrel (a browser cannot reach WebApplicationFactory's in-memory server) over a
/// fresh database seeded with the demo tenant, and one headless Debian Chromium driven by Playwright.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    public const string DemoPassword = "Browser-demo-password-1";
    public const int FreeFailures = 3;

    private readonly TestDatabase _database = new();
    // Disposed in DisposeAsync (xunit's IAsyncLifetime), hence a property rather than a field.
    private KestrelHostFactory? Factory { get; set; }
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public static string ArtifactsDirectory { get; } = Path.Combine(RepoPaths.Root, "artifacts", "browser");

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Factory = new KestrelHostFactory(_database);
        Factory.UseKestrel(0);
        Factory.StartServer();
        var addresses = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)).Replace("[::1]", "localhost", StringComparison.Ordinal);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("QMS_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        Directory.CreateDirectory(ArtifactsDirectory);
    }

    /// <summary>A fresh browser context: its own cookies, as a new visitor.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = "en-US" });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (Factory is not null)
        {
            await Factory.DisposeAsync();
        }
        await _database.DisposeAsync();
    }

    private sealed class KestrelHostFactory(TestDatabase database) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Qms"] = database.AppConnectionString,
                ["ConnectionStrings:QmsAdmin"] = database.AdminConnectionString,
                ["Plugins:Directory"] = RepoPaths.Plugins,
                ["Seed:DemoTenant"] = "true",
                ["Seed:DemoPassword"] = DemoPassword,
                ["SignIn:FreeFailures"] = FreeFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SignIn:FirstDelay"] = "01:00:00",
                ["SignIn:RateLimitPerMinute"] = "1000",
            }));
        }
    }
}

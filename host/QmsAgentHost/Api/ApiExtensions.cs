using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace QmsAgentHost.Api;

public static class ApiExtensions
{
    /// <summary>
    /// Maps the short environment variables the scripts and operators use onto configuration keys:
    /// QMS_DB, QMS_DB_ADMIN, QMS_PLUGINS, QMS_PORT, QMS_DEMO_PASSWORD, QMS_DEMO_API_KEY.
    /// </summary>
    public static IHostApplicationBuilder AddQmsConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        // A verb's output (JSON, a report) owns standard output; the log goes to standard error.
        if (VerbOf(args) is { } verb && verb != "serve")
        {
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        var mapped = new Dictionary<string, string?>();
        void Map(string variable, string key)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value && !IsSetExplicitly(builder.Configuration, key))
            {
                mapped[key] = value;
            }
        }
        Map("QMS_DB", "ConnectionStrings:Qms");
        Map("QMS_DB_ADMIN", "ConnectionStrings:QmsAdmin");
        Map("QMS_PLUGINS", "Plugins:Directory");
        Map("QMS_DEMO_PASSWORD", "Seed:DemoPassword");
        Map("QMS_DEMO_API_KEY", "Seed:DemoApiKey");
        builder.Configuration.AddInMemoryCollection(mapped);
        if (Environment.GetEnvironmentVariable("QMS_PORT") is { Length: > 0 } port && int.TryParse(port, out var number))
        {
            builder.WebHost.UseUrls($"http://localhost:{number}");
        }
        return builder;
    }

    /// <summary>The verb of a command line: its first word that is neither an option nor a configuration setting (<c>--Key=value</c>).</summary>
    public static string? VerbOf(string[] args) => args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('=', StringComparison.Ordinal));

    /// <summary>
    /// True when <paramref name="key"/> was given by the command line, a full-name environment variable
    /// (<c>Plugins__Directory</c>) or another source above the files: those win over a short variable.
    /// The defaults shipped in <c>appsettings*.json</c> do not.
    /// </summary>
    private static bool IsSetExplicitly(IConfigurationRoot configuration, string key) =>
        configuration.Providers.Reverse().FirstOrDefault(p => p.TryGet(key, out var value) && !string.IsNullOrEmpty(value))
            is { } provider && provider is not FileConfigurationProvider;

    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsBounds.Apply);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        // Don't announce the server.
        builder.Services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        builder.Services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName);
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxies) => ConfigureProxies(o, proxies.Value));
        return builder;
    }

    /// <summary>
    /// The start of the pipeline: the client's real address and scheme from trusted proxies, the
    /// security headers, problem details for exceptions and bare status codes, and the input guard.
    /// </summary>
    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestGuard>();
        return app;
    }

    private static void ConfigureProxies(ForwardedHeadersOptions options, ProxyOptions proxies)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = Math.Max(1, proxies.ForwardLimit);
        if (proxies.KnownProxies.Length == 0 && proxies.KnownNetworks.Length == 0)
        {
            return; // ASP.NET Core's default: only a proxy on this machine (loopback).
        }
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }
        foreach (var network in proxies.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status200OK },
            ResponseWriter = WriteReportAsync,
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteReportAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}

using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

public static class IdentityExtensions
{
    /// <summary>The scheme every endpoint authenticates with: an API key when a bearer token is sent, else the cookie.</summary>
    public const string Scheme = "qms";

    public const string SignInRateLimit = "sign-in";

    /// <summary>The sign-in cookie.</summary>
    public const string CookieName = QmsClaims.CookieName;

    public static IHostApplicationBuilder AddQmsIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.SectionName);
        builder.Services.AddSingleton<PasswordSignIn>();
        builder.Services.AddSingleton<TenantProvisioner>();
        builder.Services.AddSingleton<TenantAdministration>();
        builder.Services.AddScoped<UserChange>();
        builder.Services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.SectionName);
        builder.Services.AddSingleton<Data.IStartupTask, DemoTenantSeeder>();

        builder.Services.AddDataProtection().SetApplicationName("QmsAgentHost");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<Data.QmsDataSources>())));

        var authentication = builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or cookie", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the original request was https, also behind a proxy (ForwardedHeaders runs first).
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/sign-in";
                o.AccessDeniedPath = "/sign-in";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                // An API caller gets a status code, not a redirect to a page.
                o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx, StatusCodes.Status403Forbidden);
            });
        authentication.AddOpenIdConnectSignIn();
        // Every endpoint needs a signed-in caller unless it says AllowAnonymous (sign-in, health,
        // inbound webhooks); an endpoint mapped later is protected without doing anything.
        builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                var http = ctx.HttpContext;
                if (!http.Request.Path.StartsWithSegments("/api"))
                {
                    // The console's sign-in form: a page a person can read, not JSON.
                    http.Response.ContentType = "text/html; charset=utf-8";
                    await http.Response.WriteAsync(
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many sign-in attempts</title></head>"
                        + "<body><h1>Too many sign-in attempts</h1><p>Wait a minute, then <a href=\"/sign-in\">try again</a>.</p></body></html>", ct);
                    return;
                }
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Title = "Too many sign-in attempts", Detail = "Wait a minute and try again." },
                });
            };
            // One budget per client address, shared by the API and the sign-in form. Only attempts
            // (POST) count: showing the form is free.
            o.AddPolicy(SignInRateLimit, http => !HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetNoLimiter("not-an-attempt")
                : RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = http.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value.RateLimitPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    }));
        });
        return builder;
    }

    public static WebApplication UseQmsIdentity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<TenantContextMiddleware>();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/health"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

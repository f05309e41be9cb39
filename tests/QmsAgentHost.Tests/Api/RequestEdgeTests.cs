using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using QmsAgentHost.Tests.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Api;

/// <summary>What the edge of the host does for every request, whichever endpoint it is for (issue #18).</summary>
public sealed class RequestEdgeTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestTenant? _tenant;

    private async Task<TestTenant> TenantAsync() => _tenant ??= await fixture.Factory.CreateTenantAsync("edge-" + Guid.NewGuid().ToString("N")[..6]);

    private static StringContent Json(string text, string type = "application/json") => new(text, Encoding.UTF8, type);

    [Theory]
    [InlineData("é-correlation")]
    [InlineData("line\u0001break")]
    [InlineData("a b")]
    public async Task An_unsafe_correlation_id_is_replaced_never_echoed(string sent)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", sent);

        var response = await fixture.Factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
        Assert.NotEqual(sent, echoed);
        Assert.Matches("^[0-9a-f]{32}$", echoed);
    }

    [Fact]
    public async Task A_safe_correlation_id_is_kept()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Correlation-Id", "req-42.a:b_c");

        var response = await fixture.Factory.CreateClient().SendAsync(request);

        Assert.Equal("req-42.a:b_c", Assert.Single(response.Headers.GetValues("X-Correlation-Id")));
    }

    [Fact]
    public async Task A_nul_in_a_body_a_query_or_plugin_arguments_is_a_400_naming_the_field()
    {
        var tenant = await TenantAsync();
        var owner = tenant.ClientFor(Roles.Owner);

        var signIn = await fixture.Factory.CreateClient().PostAsync("/api/auth/sign-in", Json("""{"organization":"x","login":"a\u0000b","password":"whatever-it-is"}"""));
        var query = await owner.GetAsync("/api/audit?action=a%00b");
        var argument = await owner.PostAsync("/api/plugins/hello/functions/sign_guest_book", Json("""{"name":"Ann","message":"hi\u0000there"}"""));
        var user = await owner.PostAsync("/api/users", Json("""{"login":"n\u0000@x.test","displayName":"N","role":"Viewer","password":"A-long-enough-passphrase"}"""));

        Assert.Contains("NUL", Assert.Single(await HttpAssert.ValidationErrorAsync(signIn, "login")), StringComparison.Ordinal);
        Assert.Contains("NUL", (await HttpAssert.ProblemAsync(query, 400)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(await HttpAssert.ValidationErrorAsync(argument, "message"));
        Assert.Single(await HttpAssert.ValidationErrorAsync(user, "login"));
    }

    [Fact]
    public async Task A_repeated_json_property_is_a_400()
    {
        var tenant = await TenantAsync();

        var response = await tenant.ClientFor(Roles.Owner).PostAsync("/api/plugins/hello/functions/greet", Json("""{"name":"a","NAME":"b"}"""));

        var errors = await HttpAssert.ValidationErrorAsync(response, "NAME");
        Assert.Contains("more than once", errors[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_is_a_415_and_nothing_runs(string type)
    {
        var tenant = await TenantAsync();
        var owner = tenant.ClientFor(Roles.Owner);

        var response = await owner.PostAsync("/api/plugins/hello/functions/sign_guest_book", Json("""{"name":"Plain","message":"text/plain body"}""", type));

        await HttpAssert.ProblemAsync(response, 415);
        var entries = await owner.PostAsJsonAsync("/api/plugins/hello/functions/list_guest_book", new { limit = 100 });
        Assert.DoesNotContain("text/plain body", await entries.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_write_from_another_site_or_without_origin_is_refused()
    {
        var tenant = await TenantAsync();
        var handler = fixture.Factory.Server.CreateHandler();
        var cookies = new System.Net.CookieContainer();
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? origin, string? fetchSite, HttpContent? body = null)
        {
            var request = new HttpRequestMessage(method, new Uri(fixture.Factory.Server.BaseAddress, path)) { Content = body };
            if (cookies.GetCookieHeader(request.RequestUri!) is { Length: > 0 } header)
            {
                request.Headers.Add("Cookie", header);
            }
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            if (fetchSite is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", fetchSite);
            }
            var response = await new HttpClient(handler, disposeHandler: false).SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                foreach (var value in values)
                {
                    cookies.SetCookies(request.RequestUri!, value);
                }
            }
            return response;
        }
        var credentials = $$"""{"organization":"{{tenant.Slug}}","login":"{{tenant.Login(Roles.Analyst)}}","password":"{{TestTenant.Password}}"}""";
        await HttpAssert.ProblemAsync(await SendAsync(HttpMethod.Post, "/api/auth/sign-in", "https://evil.example", null, Json(credentials)), 403);
        (await SendAsync(HttpMethod.Post, "/api/auth/sign-in", null, "same-origin", Json(credentials))).EnsureSuccessStatusCode();
        var key = """{"name":"cross-site","role":"Viewer"}""";

        await HttpAssert.ProblemAsync(await SendAsync(HttpMethod.Post, "/api/api-keys", "https://evil.example", null, Json(key)), 403);
        await HttpAssert.ProblemAsync(await SendAsync(HttpMethod.Post, "/api/api-keys", null, "cross-site", Json(key)), 403);
        await HttpAssert.ProblemAsync(await SendAsync(HttpMethod.Post, "/api/api-keys", null, null, Json(key)), 403);
        await HttpAssert.ProblemAsync(await SendAsync(HttpMethod.Post, "/api/auth/sign-out", "https://evil.example", null), 403);
        var created = await SendAsync(HttpMethod.Post, "/api/api-keys", "http://localhost", null, Json(key));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "/api/auth/sign-out", null, "same-origin")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_without_a_session_is_refused()
    {
        await HttpAssert.ProblemAsync(await fixture.Factory.CreateClient().PostAsync("/api/auth/sign-out", null), 401);
    }

    [Fact]
    public async Task Pages_carry_a_strict_content_security_policy_and_every_answer_the_basic_headers()
    {
        var client = fixture.Factory.CreateClient();

        var page = await client.GetAsync("/sign-in");
        var api = await client.GetAsync("/api/plugins");

        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default-src 'none'", string.Join(";", api.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        foreach (var response in new[] { page, api })
        {
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.False(response.Headers.Contains("Server"));
            Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        }
        Assert.False(fixture.Factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.AddServerHeader);
    }

    [Fact]
    public async Task Behind_a_proxy_that_says_https_the_cookie_is_secure_and_hsts_is_sent()
    {
        var tenant = await TenantAsync();
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.5");
        // The forwarded request is https, so the browser's Origin says https too.
        client.DefaultRequestHeaders.Remove("Origin");
        client.DefaultRequestHeaders.Add("Origin", "https://localhost");

        var response = await client.PostAsJsonAsync("/api/auth/sign-in",
            new { organization = tenant.Slug, login = tenant.Login(Roles.Viewer), password = TestTenant.Password });

        response.EnsureSuccessStatusCode();
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        var plain = await fixture.Factory.CreateClient().PostAsJsonAsync("/api/auth/sign-in",
            new { organization = tenant.Slug, login = tenant.Login(Roles.Viewer), password = TestTenant.Password });
        Assert.DoesNotContain("secure", Assert.Single(plain.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_4xx_names_what_was_wrong_and_stays_small()
    {
        var tenant = await TenantAsync();
        var owner = tenant.ClientFor(Roles.Owner);
        var anonymous = fixture.Factory.CreateClient();

        var malformed = await anonymous.PostAsync("/api/auth/sign-in", Json("{\"organization\":"));
        var wrongType = await anonymous.PostAsync("/api/auth/sign-in", Json("""{"organization":5,"login":"a@b.test","password":"whatever-it-is"}"""));
        var badGuid = await owner.PostAsync("/api/plugins/hello/functions/approve_guest_book_entry", Json("""{"entryId":"not-a-uuid","meaning":"Approved","password":"x"}"""));
        var manyKeys = await owner.GetAsync("/api/audit?" + string.Join('&', Enumerable.Range(0, 5000).Select(i => $"k{i}=1")));
        var notFound = await owner.GetAsync("/api/nothing-here");
        var oversized = await owner.PostAsync("/api/plugins/hello/functions/greet",
            Json("{" + string.Join(',', Enumerable.Range(0, 500_000).Select(i => $"\"k{i}\":0")) + "}"));

        Assert.Contains("not valid JSON", (await HttpAssert.ProblemAsync(malformed, 400)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var typeError = Assert.Single(await HttpAssert.ValidationErrorAsync(wrongType, "organization"));
        Assert.True(typeError == "Expected a string.", typeError);
        Assert.Contains("UUID", (await HttpAssert.ProblemAsync(badGuid, 400)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var many = await HttpAssert.ProblemAsync(manyKeys, 400);
        Assert.True(many.GetProperty("errors").EnumerateObject().Count() <= 21);
        Assert.True(many.GetRawText().Length < 20_000, $"{many.GetRawText().Length} characters");
        Assert.False(string.IsNullOrEmpty((await HttpAssert.ProblemAsync(notFound, 404)).GetProperty("detail").GetString()));
        Assert.Contains("at most", (await HttpAssert.ProblemAsync(oversized, 413)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_endpoint_needs_a_caller_unless_it_is_one_of_the_few_marked_anonymous()
    {
        Assert.True(fixture.Factory.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy?
            .Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.DenyAnonymousAuthorizationRequirement>().Any());
        var endpoints = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText!.TrimStart('/')).Where(p => !p.StartsWith("api/hooks/", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(["api/auth/sign-in", "health/live", "health/ready", "sign-in", "sign-out"], anonymous.Order(StringComparer.Ordinal));

        var client = fixture.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal)))
        {
            var path = System.Text.RegularExpressions.Regex.Replace(endpoint.RoutePattern.RawText!, @"\{[^}]+\}", Guid.NewGuid().ToString());
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : Json("{}") });
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without a caller");
            }
        }
    }
}

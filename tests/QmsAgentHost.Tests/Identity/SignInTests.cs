using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Identity;

public sealed class ThrottleHost : IdentityHost
{
    public const int FreeFailures = 3;

    protected override Dictionary<string, string?> Settings => new()
    {
        ["SignIn:FreeFailures"] = FreeFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SignIn:FirstDelay"] = "01:00:00",
    };
}

public sealed class SignInTests(ThrottleHost host) : IClassFixture<ThrottleHost>
{
    private Task<HttpResponseMessage> TrySignInAsync(string organization, string login, string password, string client = "203.0.113.10")
    {
        var http = host.Factory.CreateClient();
        // The test server's client is on loopback, a trusted proxy: X-Forwarded-For names the client.
        http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
        return http.PostAsJsonAsync("/api/auth/sign-in", new { organization, login, password });
    }

    [Fact]
    public async Task Cookie_sign_in_through_the_api_identifies_the_user()
    {
        var tenant = await host.NewTenantAsync("cookie");

        var client = await host.SignInAsync(tenant.Login(Roles.Manager).ToUpperInvariant());

        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(tenant.UserId(Roles.Manager), me.GetProperty("userId").GetGuid());
        Assert.Equal(tenant.OrgId, me.GetProperty("orgId").GetGuid());
        Assert.Equal(Roles.Manager, me.GetProperty("role").GetString());
        Assert.Equal("cookie", me.GetProperty("authenticationMethod").GetString());
        (await client.PostAsync("/api/auth/sign-out", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task The_same_login_in_two_organizations_is_two_users_and_sign_in_names_the_organization()
    {
        var first = await host.NewTenantAsync("same-a");
        var second = await host.NewTenantAsync("same-b");
        const string login = "quality@shared.example";
        foreach (var tenant in new[] { first, second })
        {
            var created = await tenant.ClientFor(Roles.Admin).PostAsJsonAsync("/api/users",
                new { login, displayName = "QA of " + tenant.Slug, role = Roles.Analyst, password = "Shared-login-passphrase-" + tenant.Slug });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var client = host.Factory.CreateClient();
        (await client.PostAsJsonAsync("/api/auth/sign-in", new { organization = second.Slug, login, password = "Shared-login-passphrase-" + second.Slug }))
            .EnsureSuccessStatusCode();
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(second.OrgId, me.GetProperty("orgId").GetGuid());
        // The other organization's password does not open this one.
        await HttpAssert.ProblemAsync(await TrySignInAsync(second.Slug, login, "Shared-login-passphrase-" + first.Slug), 401);
    }

    [Fact]
    public async Task Unknown_organization_unknown_login_wrong_password_and_a_throttled_attempt_answer_alike()
    {
        var tenant = await host.NewTenantAsync("alike");
        var throttled = tenant.Login(Roles.Auditor);
        for (var i = 0; i <= ThrottleHost.FreeFailures; i++)
        {
            await TrySignInAsync(tenant.Slug, throttled, "wrong-password-" + i, "198.51.100.7");
        }

        var answers = new[]
        {
            await TrySignInAsync("no-such-org", tenant.Login(Roles.Viewer), "whatever-it-is"),
            await TrySignInAsync(tenant.Slug, $"nobody@{tenant.Slug}.test", "whatever-it-is"),
            await TrySignInAsync(tenant.Slug, tenant.Login(Roles.Viewer), "not the password"),
            await TrySignInAsync(tenant.Slug, throttled, TestTenant.Password, "198.51.100.7"),
        };

        var bodies = new List<string>();
        foreach (var answer in answers)
        {
            var problem = await HttpAssert.ProblemAsync(answer, 401);
            Assert.False(answer.Headers.Contains("Retry-After"));
            bodies.Add($"{problem.GetProperty("title")}|{problem.GetProperty("detail")}");
        }
        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task Failures_slow_down_only_that_login_from_that_address_and_never_lock_the_account()
    {
        var tenant = await host.NewTenantAsync("throttle");
        var login = tenant.Login(Roles.Analyst);
        const string attacker = "192.0.2.66";

        for (var attempt = 0; attempt <= ThrottleHost.FreeFailures; attempt++)
        {
            await HttpAssert.ProblemAsync(await TrySignInAsync(tenant.Slug, login, "wrong-password-" + attempt, attacker), 401);
        }
        // From the attacker's address even the right password now waits (the first delay is an hour here)...
        await HttpAssert.ProblemAsync(await TrySignInAsync(tenant.Slug, login, TestTenant.Password, attacker), 401);
        // ...but the user, elsewhere, signs in at once: nobody can lock someone else out.
        (await TrySignInAsync(tenant.Slug, login, TestTenant.Password, "203.0.113.99")).EnsureSuccessStatusCode();

        var events = (await host.AuditAsync(tenant.OrgId)).Where(e => e.Action.StartsWith("auth.", StringComparison.Ordinal)).Select(e => e.Action).ToList();
        Assert.Equal([.. Enumerable.Repeat("auth.sign-in-failed", ThrottleHost.FreeFailures + 1), "auth.sign-in-throttled"], events);
        // An administrator's unlock lifts the wait for that login from every address.
        (await tenant.ClientFor(Roles.Admin).PostAsync($"/api/users/{tenant.UserId(Roles.Analyst)}/unlock", null)).EnsureSuccessStatusCode();
        (await TrySignInAsync(tenant.Slug, login, TestTenant.Password, attacker)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_disabled_users_existing_cookie_stops_working()
    {
        var tenant = await host.NewTenantAsync("cookiedisabled");
        var client = await host.SignInAsync(tenant.Login(Roles.Analyst));
        (await client.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();

        (await tenant.ClientFor(Roles.Admin).PostAsync($"/api/users/{tenant.UserId(Roles.Analyst)}/disable", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
        (await tenant.ClientFor(Roles.Admin).PostAsync($"/api/users/{tenant.UserId(Roles.Analyst)}/enable", null)).EnsureSuccessStatusCode();
        // The host signed the cookie out when it found the user disabled: enabling does not revive it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_password_reset_ends_every_session_opened_with_the_old_password()
    {
        var tenant = await host.NewTenantAsync("cookiereset");
        var first = await host.SignInAsync(tenant.Login(Roles.Analyst));
        var second = await host.SignInAsync(tenant.Login(Roles.Analyst));
        (await first.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        const string newPassword = "A-brand-new-passphrase-42";

        (await tenant.ClientFor(Roles.Admin).PostAsJsonAsync($"/api/users/{tenant.UserId(Roles.Analyst)}/reset-password", new { password = newPassword }))
            .EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/auth/me")).StatusCode);
        // An API key is a credential of its own and keeps working; the new password opens a new session.
        (await tenant.ClientFor(Roles.Analyst).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        var fresh = await host.SignInAsync(tenant.Login(Roles.Analyst), newPassword);
        (await fresh.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_cookie_users_role_change_applies_to_the_next_request()
    {
        var tenant = await host.NewTenantAsync("cookierole");
        var client = await host.SignInAsync(tenant.Login(Roles.Manager));

        (await tenant.ClientFor(Roles.Admin).PatchAsJsonAsync($"/api/users/{tenant.UserId(Roles.Manager)}", new { role = Roles.Viewer })).EnsureSuccessStatusCode();

        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(Roles.Viewer, me.GetProperty("role").GetString());
    }
}

public sealed class RateLimitHost : IdentityHost
{
    public const int PerMinute = 3;

    protected override Dictionary<string, string?> Settings => new() { ["SignIn:RateLimitPerMinute"] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

public sealed class SignInRateLimitTests(RateLimitHost host) : IClassFixture<RateLimitHost>
{
    [Fact]
    public async Task The_api_and_the_sign_in_form_share_one_budget_per_client_address_behind_a_proxy()
    {
        var client = host.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        var form = await ConsolePagesTests.SignInFormAsync(client);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < RateLimitHost.PerMinute - 1; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/auth/sign-in", new { organization = "nowhere", login = "someone@nowhere.test", password = "whatever-it-is" })).StatusCode);
        }
        var lastAllowed = await client.PostAsync("/sign-in", form("someone@nowhere.test", "whatever-it-is"));
        var pageRefused = await client.PostAsync("/sign-in", form("someone@nowhere.test", "whatever-it-is"));
        var apiRefused = await client.PostAsJsonAsync("/api/auth/sign-in", new { organization = "nowhere", login = "someone@nowhere.test", password = "whatever-it-is" });

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Contains("The organization, login or password is wrong.", await lastAllowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, pageRefused.StatusCode);
        Assert.Equal("text/html", pageRefused.Content.Headers.ContentType?.MediaType);
        var problem = await HttpAssert.ProblemAsync(apiRefused, 429);
        Assert.Equal("Too many sign-in attempts", problem.GetProperty("title").GetString());
        // Another client behind the same proxy has a budget of its own.
        var other = host.Factory.CreateClient();
        other.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.21");
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await other.PostAsJsonAsync("/api/auth/sign-in", new { organization = "nowhere", login = "someone@nowhere.test", password = "whatever-it-is" })).StatusCode);
        // Showing the form and other endpoints are not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sign-in")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Identity;

public sealed class LockoutHost : IdentityHost
{
    public const int MaxFailedAttempts = 3;

    protected override Dictionary<string, string?> Settings => new() { ["SignIn:MaxFailedAttempts"] = MaxFailedAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

public sealed class SignInTests(LockoutHost host) : IClassFixture<LockoutHost>
{
    private Task<HttpResponseMessage> TrySignInAsync(string login, string password) =>
        host.Factory.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { login, password });

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
    public async Task A_wrong_password_and_an_unknown_login_look_the_same()
    {
        var tenant = await host.NewTenantAsync("wrong");

        var wrong = await HttpAssert.ProblemAsync(await TrySignInAsync(tenant.Login(Roles.Viewer), "not the password"), 401);
        var unknown = await HttpAssert.ProblemAsync(await TrySignInAsync($"nobody@{tenant.Slug}.test", "not the password"), 401);

        Assert.Equal(wrong.GetProperty("detail").GetString(), unknown.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_account_locks_after_the_configured_failures_refuses_even_the_right_password_and_is_audited()
    {
        var tenant = await host.NewTenantAsync("lockout");
        var login = tenant.Login(Roles.Analyst);

        for (var attempt = 1; attempt < LockoutHost.MaxFailedAttempts; attempt++)
        {
            await HttpAssert.ProblemAsync(await TrySignInAsync(login, "wrong-password-" + attempt), 401);
        }
        var locked = await HttpAssert.ProblemAsync(await TrySignInAsync(login, "wrong-password-last"), 423);
        var rightPassword = await HttpAssert.ProblemAsync(await TrySignInAsync(login, TestTenant.Password), 423);

        Assert.Equal("Account locked", locked.GetProperty("title").GetString());
        Assert.Contains("Try again after", rightPassword.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var events = (await host.AuditAsync(tenant.OrgId)).Where(e => e.Action.StartsWith("auth.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [.. Enumerable.Repeat("auth.sign-in-failed", LockoutHost.MaxFailedAttempts - 1), "auth.locked-out", "auth.sign-in-refused-locked"],
            events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(tenant.UserId(Roles.Analyst).ToString(), e.EntityId));
        // Other users of the tenant are not affected.
        await host.SignInAsync(tenant.Login(Roles.Viewer));
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
    public async Task The_api_and_the_sign_in_form_share_one_budget_and_refuse_beyond_it()
    {
        var client = host.Factory.CreateClient();
        var form = await ConsolePagesTests.SignInFormAsync(client);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < RateLimitHost.PerMinute - 1; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/auth/sign-in", new { login = "someone@nowhere.test", password = "whatever-it-is" })).StatusCode);
        }
        var lastAllowed = await client.PostAsync("/sign-in", form("someone@nowhere.test", "whatever-it-is"));
        var pageRefused = await client.PostAsync("/sign-in", form("someone@nowhere.test", "whatever-it-is"));
        var apiRefused = await client.PostAsJsonAsync("/api/auth/sign-in", new { login = "someone@nowhere.test", password = "whatever-it-is" });

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Contains("Wrong login or password.", await lastAllowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, pageRefused.StatusCode);
        Assert.Equal("text/html", pageRefused.Content.Headers.ContentType?.MediaType);
        var problem = await HttpAssert.ProblemAsync(apiRefused, 429);
        Assert.Equal("Too many sign-in attempts", problem.GetProperty("title").GetString());
        // Showing the form and other endpoints are not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sign-in")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Identity;

public sealed class UsersApiTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    private const string NewPassword = "A-long-enough-passphrase";

    private static object NewUser(TestTenant tenant, string name, string role = Roles.Analyst, string? site = "MAIN", string password = NewPassword) =>
        new { login = $"{name}@{tenant.Slug}.test", displayName = $"New {name}", role, siteCode = site, password };

    private static async Task<JsonElement> CreateAsync(HttpClient client, object user)
    {
        var response = await client.PostAsJsonAsync("/api/users", user);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Guid IdOf(JsonElement user) => user.GetProperty("id").GetGuid();

    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_sign_in_and_the_creation_is_audited()
    {
        var tenant = await host.NewTenantAsync("create");
        var admin = tenant.ClientFor(Roles.Admin);

        var response = await admin.PostAsJsonAsync("/api/users", NewUser(tenant, "Nina", Roles.Manager));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/users/{IdOf(created)}", response.Headers.Location?.OriginalString);
        Assert.Equal($"nina@{tenant.Slug}.test", created.GetProperty("login").GetString());
        Assert.Equal("MAIN", created.GetProperty("siteCode").GetString());
        Assert.True(created.GetProperty("hasPassword").GetBoolean());
        Assert.DoesNotContain("hash", created.ToString(), StringComparison.OrdinalIgnoreCase);
        var signedIn = await host.SignInAsync($"nina@{tenant.Slug}.test", NewPassword);
        var me = await signedIn.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(Roles.Manager, me.GetProperty("role").GetString());
        var audit = Assert.Single(await host.AuditAsync(tenant.OrgId, "user.created"));
        Assert.Equal(tenant.UserId(Roles.Admin), audit.ActorId);
        Assert.Equal(IdOf(created).ToString(), audit.EntityId);
        Assert.DoesNotContain("hash", audit.After, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(NewPassword, audit.After, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password", "short-pass")]
    [InlineData("password", "same@{slug}.test")]
    [InlineData("login", "not-an-email")]
    [InlineData("role", "Janitor")]
    [InlineData("displayName", "   ")]
    [InlineData("siteCode", "NOPE")]
    public async Task Invalid_users_are_refused_with_a_validation_problem(string field, string value)
    {
        var tenant = await host.NewTenantAsync("invalid");
        var user = new Dictionary<string, string?>
        {
            ["login"] = $"same@{tenant.Slug}.test", ["displayName"] = "Sam", ["role"] = Roles.Viewer, ["siteCode"] = "MAIN", ["password"] = NewPassword,
        };
        user[field] = value.Replace("{slug}", tenant.Slug, StringComparison.Ordinal);

        var response = await tenant.ClientFor(Roles.Admin).PostAsJsonAsync("/api/users", user);

        await HttpAssert.ValidationErrorAsync(response, field);
    }

    [Fact]
    public async Task A_taken_login_is_a_conflict()
    {
        var tenant = await host.NewTenantAsync("taken");

        var response = await tenant.ClientFor(Roles.Admin).PostAsJsonAsync("/api/users",
            new { organization = tenant.Slug, login = tenant.Login(Roles.Viewer), displayName = "Twin", role = Roles.Viewer, password = NewPassword });

        await HttpAssert.ProblemAsync(response, 409);
    }

    [Fact]
    public async Task Only_grantable_roles_can_be_assigned()
    {
        var tenant = await host.NewTenantAsync("grant");

        await HttpAssert.ProblemAsync(await tenant.ClientFor(Roles.Admin).PostAsJsonAsync("/api/users", NewUser(tenant, "boss", Roles.Owner)), 403);
        var viewer = await CreateAsync(tenant.ClientFor(Roles.Admin), NewUser(tenant, "vic", Roles.Viewer));
        await HttpAssert.ProblemAsync(await tenant.ClientFor(Roles.Admin).PatchAsJsonAsync($"/api/users/{IdOf(viewer)}", new { role = Roles.Owner }), 403);
        await CreateAsync(tenant.ClientFor(Roles.Owner), NewUser(tenant, "boss", Roles.Owner));
    }

    [Fact]
    public async Task An_admin_cannot_manage_an_owner()
    {
        var tenant = await host.NewTenantAsync("noowner");
        var admin = tenant.ClientFor(Roles.Admin);
        var owner = tenant.UserId(Roles.Owner);

        await HttpAssert.ProblemAsync(await admin.PatchAsJsonAsync($"/api/users/{owner}", new { displayName = "Demoted" }), 403);
        await HttpAssert.ProblemAsync(await admin.PostAsync($"/api/users/{owner}/disable", null), 403);
        await HttpAssert.ProblemAsync(await admin.PostAsJsonAsync($"/api/users/{owner}/reset-password", new { password = NewPassword }), 403);
    }

    [Fact]
    public async Task Users_are_listed_a_page_at_a_time_by_login()
    {
        var tenant = await host.NewTenantAsync("paged");
        var admin = tenant.ClientFor(Roles.Admin);

        var first = await admin.GetFromJsonAsync<JsonElement>("/api/users?page=1&pageSize=4");
        var second = await admin.GetFromJsonAsync<JsonElement>("/api/users?page=2&pageSize=4");

        Assert.Equal(6, first.GetProperty("total").GetInt64());
        var logins = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(u => u.GetProperty("login").GetString()!).ToList();
        Assert.Equal(Roles.All.Select(tenant.Login).Order(StringComparer.Ordinal), logins);
        Assert.Equal(4, first.GetProperty("items").GetArrayLength());
        await HttpAssert.ValidationErrorAsync(await admin.GetAsync("/api/users?pageSize=0"), "pageSize");
        await HttpAssert.ProblemAsync(await admin.GetAsync($"/api/users/{Guid.NewGuid()}"), 404);
        var one = await admin.GetFromJsonAsync<JsonElement>($"/api/users/{tenant.UserId(Roles.Viewer)}");
        Assert.Equal(tenant.Login(Roles.Viewer), one.GetProperty("login").GetString());
    }

    [Fact]
    public async Task Role_display_name_and_site_change_and_the_change_is_audited_without_secrets()
    {
        var tenant = await host.NewTenantAsync("patch");
        var admin = tenant.ClientFor(Roles.Admin);
        var analyst = tenant.UserId(Roles.Analyst);

        var response = await admin.PatchAsJsonAsync($"/api/users/{analyst}", new { role = Roles.Manager, displayName = "Promoted Pat", siteCode = "" });

        response.EnsureSuccessStatusCode();
        var user = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Roles.Manager, user.GetProperty("role").GetString());
        Assert.Equal("Promoted Pat", user.GetProperty("displayName").GetString());
        Assert.Equal(JsonValueKind.Null, user.GetProperty("siteCode").ValueKind);
        var me = await tenant.ClientFor(Roles.Analyst).GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("Promoted Pat", me.GetProperty("name").GetString());
        var audit = Assert.Single(await host.AuditAsync(tenant.OrgId, "user.updated"));
        Assert.Equal(Roles.Analyst, audit.BeforeJson.GetProperty("role").GetString());
        Assert.Equal("MAIN", audit.BeforeJson.GetProperty("siteCode").GetString());
        Assert.Equal(Roles.Manager, audit.AfterJson.GetProperty("role").GetString());
        Assert.DoesNotContain("hash", audit.Before + audit.After, StringComparison.OrdinalIgnoreCase);
        await HttpAssert.ValidationErrorAsync(await admin.PatchAsJsonAsync($"/api/users/{analyst}", new { siteCode = "NOPE" }), "siteCode");
        await HttpAssert.ProblemAsync(await admin.PatchAsJsonAsync($"/api/users/{analyst}", new { }), 400);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in_until_enabled_again()
    {
        var tenant = await host.NewTenantAsync("disable");
        var admin = tenant.ClientFor(Roles.Admin);
        var viewer = tenant.UserId(Roles.Viewer);

        (await admin.PostAsync($"/api/users/{viewer}/disable", null)).EnsureSuccessStatusCode();
        var refused = await host.Factory.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { organization = tenant.Slug, login = tenant.Login(Roles.Viewer), password = TestTenant.Password });
        (await admin.PostAsync($"/api/users/{viewer}/enable", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await host.SignInAsync(tenant.Login(Roles.Viewer));
        Assert.Equal(["user.disabled", "user.enabled"], (await host.AuditAsync(tenant.OrgId)).Where(e => e.EntityType == "user" && e.Action.StartsWith("user.", StringComparison.Ordinal)).Select(e => e.Action));
    }

    [Fact]
    public async Task A_password_reset_replaces_the_password_and_respects_the_policy()
    {
        var tenant = await host.NewTenantAsync("reset");
        var admin = tenant.ClientFor(Roles.Admin);
        var viewer = tenant.UserId(Roles.Viewer);

        await HttpAssert.ValidationErrorAsync(await admin.PostAsJsonAsync($"/api/users/{viewer}/reset-password", new { password = "too-short" }), "password");
        (await admin.PostAsJsonAsync($"/api/users/{viewer}/reset-password", new { password = NewPassword })).EnsureSuccessStatusCode();

        var old = await host.Factory.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { organization = tenant.Slug, login = tenant.Login(Roles.Viewer), password = TestTenant.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await host.SignInAsync(tenant.Login(Roles.Viewer), NewPassword);
        var audit = Assert.Single(await host.AuditAsync(tenant.OrgId, "user.password-reset"));
        Assert.DoesNotContain(NewPassword, audit.After, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlock_is_audited_and_leaves_the_user_as_it_was()
    {
        var tenant = await host.NewTenantAsync("unlock");

        var unlocked = await tenant.ClientFor(Roles.Admin).PostAsync($"/api/users/{tenant.UserId(Roles.Viewer)}/unlock", null);

        unlocked.EnsureSuccessStatusCode();
        Assert.False((await unlocked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());
        await host.SignInAsync(tenant.Login(Roles.Viewer));
        Assert.Single(await host.AuditAsync(tenant.OrgId, "user.unlocked"));
    }

    [Fact]
    public async Task Nobody_can_demote_or_disable_the_last_enabled_owner()
    {
        var tenant = await host.NewTenantAsync("lastowner");
        var owner = tenant.ClientFor(Roles.Owner);
        var ownerId = tenant.UserId(Roles.Owner);

        await HttpAssert.ProblemAsync(await owner.PatchAsJsonAsync($"/api/users/{ownerId}", new { role = Roles.Admin }), 409);
        await HttpAssert.ProblemAsync(await owner.PostAsync($"/api/users/{ownerId}/disable", null), 409);
        var second = await CreateAsync(owner, NewUser(tenant, "second", Roles.Owner));
        (await owner.PostAsync($"/api/users/{IdOf(second)}/disable", null)).EnsureSuccessStatusCode();
        await HttpAssert.ProblemAsync(await owner.PatchAsJsonAsync($"/api/users/{ownerId}", new { role = Roles.Admin }), 409);

        (await owner.PostAsync($"/api/users/{IdOf(second)}/enable", null)).EnsureSuccessStatusCode();
        var demoted = await owner.PatchAsJsonAsync($"/api/users/{ownerId}", new { role = Roles.Admin });

        demoted.EnsureSuccessStatusCode();
        // The first Owner's key now acts as an Admin: a key never outranks its owner.
        var me = await owner.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(Roles.Admin, me.GetProperty("role").GetString());
    }

    [Theory]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Analyst)]
    public async Task Users_api_needs_admin_users(string role)
    {
        var tenant = await host.NewTenantAsync("usersperm");
        var client = tenant.ClientFor(role);

        await HttpAssert.ProblemAsync(await client.GetAsync("/api/users"), 403);
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync("/api/users", NewUser(tenant, "x")), 403);
        await HttpAssert.ProblemAsync(await client.PostAsync($"/api/users/{tenant.UserId(Roles.Viewer)}/disable", null), 403);
        await HttpAssert.ProblemAsync(await host.Factory.CreateClient().GetAsync("/api/users"), 401);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;

namespace QmsAgentHost.Tests.Identity;

public sealed class RoleMapApiTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    private static async Task<List<string>> PermissionsOfAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!)];

    [Fact]
    public async Task The_map_lists_every_role_and_says_whether_each_permission_is_default_or_overridden()
    {
        var tenant = await host.NewTenantAsync("map");
        var admin = tenant.ClientFor(Roles.Admin);
        (await admin.PutAsJsonAsync("/api/roles/Viewer/permissions/hello:write", new { granted = true })).EnsureSuccessStatusCode();

        var roles = await admin.GetFromJsonAsync<JsonElement>("/api/roles");

        Assert.Equal(Roles.All, roles.EnumerateArray().Select(r => r.GetProperty("role").GetString()!));
        var viewer = roles.EnumerateArray().Single(r => r.GetProperty("role").GetString() == Roles.Viewer);
        var entries = viewer.GetProperty("permissions").EnumerateArray().ToDictionary(p => p.GetProperty("permission").GetString()!);
        Assert.Contains("admin:users", entries.Keys);
        Assert.Contains("hello:greet", entries.Keys);
        Assert.Equal("override", entries["hello:write"].GetProperty("source").GetString());
        Assert.True(entries["hello:write"].GetProperty("granted").GetBoolean());
        Assert.False(entries["hello:write"].GetProperty("defaultGranted").GetBoolean());
        Assert.Equal("default", entries["hello:greet"].GetProperty("source").GetString());
        Assert.True(entries["hello:greet"].GetProperty("granted").GetBoolean());
        Assert.Equal(["chat:ask", "hello:greet", "hello:read", "hello:write"], viewer.GetProperty("effective").EnumerateArray().Select(p => p.GetString()!));
    }

    [Fact]
    public async Task An_override_grants_and_revokes_on_the_next_request_and_delete_returns_to_the_default()
    {
        var tenant = await host.NewTenantAsync("override");
        var admin = tenant.ClientFor(Roles.Admin);
        var viewer = tenant.ClientFor(Roles.Viewer);
        var analyst = tenant.ClientFor(Roles.Analyst);
        Assert.DoesNotContain("hello:write", await PermissionsOfAsync(viewer));

        var grant = await admin.PutAsJsonAsync("/api/roles/viewer/permissions/hello:write", new { granted = true });
        var revoke = await admin.PutAsJsonAsync("/api/roles/Analyst/permissions/hello:write", new { granted = false });

        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Contains("hello:write", await PermissionsOfAsync(viewer));
        Assert.DoesNotContain("hello:write", await PermissionsOfAsync(analyst));
        (await viewer.PostAsJsonAsync("/api/plugins/hello/functions/sign_guest_book", new { name = "Vic", message = "now allowed" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden,
            (await analyst.PostAsJsonAsync("/api/plugins/hello/functions/sign_guest_book", new { name = "Ana", message = "no longer" })).StatusCode);

        var reset = await admin.DeleteAsync("/api/roles/Viewer/permissions/hello:write");

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var state = await reset.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("default", state.GetProperty("source").GetString());
        Assert.False(state.GetProperty("granted").GetBoolean());
        Assert.DoesNotContain("hello:write", await PermissionsOfAsync(viewer));
    }

    [Fact]
    public async Task Each_change_is_audited_with_its_actor_and_before_and_after()
    {
        var tenant = await host.NewTenantAsync("mapaudit");
        var admin = tenant.ClientFor(Roles.Admin);

        await admin.PutAsJsonAsync("/api/roles/Manager/permissions/admin:plugins", new { granted = true });
        await admin.PutAsJsonAsync("/api/roles/Manager/permissions/admin:plugins", new { granted = true });
        await admin.DeleteAsync("/api/roles/Manager/permissions/admin:plugins");
        await admin.DeleteAsync("/api/roles/Manager/permissions/admin:plugins");

        var events = (await host.AuditAsync(tenant.OrgId)).Where(e => e.EntityType == "role-permission").ToList();
        Assert.Equal(["role-permission.changed", "role-permission.reset"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("Manager/admin:plugins", e.EntityId));
        Assert.All(events, e => Assert.Equal(tenant.UserId(Roles.Admin), e.ActorId));
        Assert.False(events[0].BeforeJson.GetProperty("granted").GetBoolean());
        Assert.True(events[0].AfterJson.GetProperty("granted").GetBoolean());
        Assert.Equal("override", events[0].AfterJson.GetProperty("source").GetString());
        Assert.Equal("default", events[1].AfterJson.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Unknown_roles_and_permissions_are_refused_with_problems()
    {
        var tenant = await host.NewTenantAsync("mapbad");
        var admin = tenant.ClientFor(Roles.Admin);

        await HttpAssert.ProblemAsync(await admin.PutAsJsonAsync("/api/roles/Janitor/permissions/hello:write", new { granted = true }), 404);
        await HttpAssert.ProblemAsync(await admin.PutAsJsonAsync("/api/roles/Viewer/permissions/nope:nothing", new { granted = true }), 404);
        await HttpAssert.ProblemAsync(await admin.PutAsJsonAsync("/api/roles/Viewer/permissions/NotAPermission", new { granted = true }), 400);
        await HttpAssert.ValidationErrorAsync(await admin.PutAsJsonAsync("/api/roles/Viewer/permissions/hello:write", new { }), "granted");
        await HttpAssert.ProblemAsync(await admin.DeleteAsync("/api/roles/Janitor/permissions/hello:write"), 404);
    }

    [Fact]
    public async Task The_owner_always_keeps_admin_users()
    {
        var tenant = await host.NewTenantAsync("mapowner");

        var response = await tenant.ClientFor(Roles.Owner).PutAsJsonAsync("/api/roles/Owner/permissions/admin:users", new { granted = false });

        await HttpAssert.ProblemAsync(response, 400);
        Assert.Contains("admin:users", await PermissionsOfAsync(tenant.ClientFor(Roles.Owner)));
    }

    [Fact]
    public async Task An_admin_cannot_edit_the_owner_role_nor_grant_what_it_does_not_hold()
    {
        var tenant = await host.NewTenantAsync("mapbounds");
        var owner = tenant.ClientFor(Roles.Owner);
        var admin = tenant.ClientFor(Roles.Admin);
        (await owner.PutAsJsonAsync("/api/roles/Admin/permissions/admin:plugins", new { granted = false })).EnsureSuccessStatusCode();

        await HttpAssert.ProblemAsync(await admin.PutAsJsonAsync("/api/roles/Owner/permissions/hello:write", new { granted = false }), 403);
        await HttpAssert.ProblemAsync(await admin.PutAsJsonAsync("/api/roles/Admin/permissions/admin:plugins", new { granted = true }), 403);
        await HttpAssert.ProblemAsync(await admin.PutAsJsonAsync("/api/roles/Manager/permissions/admin:plugins", new { granted = true }), 403);
        // Revoking for a role below is fine.
        (await admin.PutAsJsonAsync("/api/roles/Manager/permissions/hello:write", new { granted = false })).EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Viewer)]
    public async Task The_map_needs_admin_users(string role)
    {
        var tenant = await host.NewTenantAsync("mapperm");
        var client = tenant.ClientFor(role);

        await HttpAssert.ProblemAsync(await client.GetAsync("/api/roles"), 403);
        await HttpAssert.ProblemAsync(await client.PutAsJsonAsync("/api/roles/Viewer/permissions/hello:write", new { granted = true }), 403);
        await HttpAssert.ProblemAsync(await host.Factory.CreateClient().GetAsync("/api/roles"), 401);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;

namespace QmsAgentHost.Tests.Identity;

/// <summary>An admin of tenant A names tenant B's users and keys: every answer is "not found", every list is A's alone.</summary>
public sealed class TenantIsolationTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    private const string Password = "A-long-enough-passphrase";

    [Fact]
    public async Task Users_of_another_tenant_cannot_be_read_or_changed()
    {
        var a = await host.NewTenantAsync("iso-a");
        var b = await host.NewTenantAsync("iso-b");
        var adminA = a.ClientFor(Roles.Owner);
        var victim = b.UserId(Roles.Admin);

        var list = await adminA.GetFromJsonAsync<JsonElement>("/api/users?pageSize=200");

        Assert.Equal(Roles.All.Select(a.Login).Order(StringComparer.Ordinal), list.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("login").GetString()!));
        await HttpAssert.ProblemAsync(await adminA.GetAsync($"/api/users/{victim}"), 404);
        await HttpAssert.ProblemAsync(await adminA.PatchAsJsonAsync($"/api/users/{victim}", new { role = Roles.Viewer }), 404);
        await HttpAssert.ProblemAsync(await adminA.PostAsync($"/api/users/{victim}/disable", null), 404);
        await HttpAssert.ProblemAsync(await adminA.PostAsync($"/api/users/{victim}/unlock", null), 404);
        await HttpAssert.ProblemAsync(await adminA.PostAsJsonAsync($"/api/users/{victim}/reset-password", new { password = Password }), 404);
        // B's admin is untouched and still signs in with the old password.
        var me = await b.ClientFor(Roles.Admin).GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(Roles.Admin, me.GetProperty("role").GetString());
        await host.SignInAsync(b.Login(Roles.Admin));
        Assert.DoesNotContain(await host.AuditAsync(b.OrgId), e => e.EntityType == "user" && e.Action.StartsWith("user.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_of_another_tenant_cannot_be_listed_or_revoked()
    {
        var a = await host.NewTenantAsync("iso-ka");
        var b = await host.NewTenantAsync("iso-kb");
        var bKeys = await b.ClientFor(Roles.Admin).GetFromJsonAsync<JsonElement>("/api/api-keys?all=true");
        var bKey = bKeys.EnumerateArray().First().GetProperty("id").GetGuid();

        var aKeys = await a.ClientFor(Roles.Owner).GetFromJsonAsync<JsonElement>("/api/api-keys?all=true");
        var revoke = await a.ClientFor(Roles.Owner).DeleteAsync($"/api/api-keys/{bKey}");

        Assert.Equal(Roles.All.Count, aKeys.GetArrayLength());
        Assert.All(aKeys.EnumerateArray(), k => Assert.EndsWith($"@{a.Slug}.test", k.GetProperty("userLogin").GetString(), StringComparison.Ordinal));
        await HttpAssert.ProblemAsync(revoke, 404);
        // Every key of B still works.
        foreach (var role in Roles.All)
        {
            (await b.ClientFor(role).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task One_tenants_role_map_does_not_change_another_tenants()
    {
        var a = await host.NewTenantAsync("iso-ra");
        var b = await host.NewTenantAsync("iso-rb");

        (await a.ClientFor(Roles.Admin).PutAsJsonAsync("/api/roles/Viewer/permissions/hello:write", new { granted = true })).EnsureSuccessStatusCode();

        var bMap = await b.ClientFor(Roles.Admin).GetFromJsonAsync<JsonElement>("/api/roles");
        var bViewer = bMap.EnumerateArray().Single(r => r.GetProperty("role").GetString() == Roles.Viewer);
        Assert.All(bViewer.GetProperty("permissions").EnumerateArray(), p => Assert.Equal("default", p.GetProperty("source").GetString()));
        var me = await b.ClientFor(Roles.Viewer).GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.DoesNotContain("hello:write", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }
}

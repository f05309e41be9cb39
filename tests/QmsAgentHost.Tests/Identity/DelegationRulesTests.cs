using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Identity;

/// <summary>Findings 1, 7, 9 and 13 of issue #18: what a key, an Admin and the role map may never do.</summary>
public sealed class DelegationRulesTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    public static TheoryData<string> KeyRoles => [.. Roles.All];

    [Theory]
    [MemberData(nameof(KeyRoles))]
    public async Task A_key_holds_only_what_both_its_role_and_its_owners_current_role_grant(string keyRole)
    {
        var tenant = await host.NewTenantAsync("pairs");
        var provisioner = host.Factory.Services.GetRequiredService<TenantProvisioner>();
        var resolver = host.Factory.Services.GetRequiredService<PermissionResolver>();
        var owner = tenant.ClientFor(Roles.Owner);
        foreach (var ownerRole in Roles.All)
        {
            // Issued while the user could grant it (as Owner), then the user's role changes.
            var created = await owner.PostAsJsonAsync("/api/users",
                new { login = $"{keyRole}-{ownerRole}@{tenant.Slug}.test".ToLowerInvariant(), displayName = "Pair", role = Roles.Owner, password = "A-long-enough-passphrase" });
            var userId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var (_, token) = await provisioner.CreateApiKeyAsync(tenant.OrgId, userId, "pair", keyRole, null, CancellationToken.None);
            (await owner.PatchAsJsonAsync($"/api/users/{userId}", new { role = ownerRole })).EnsureSuccessStatusCode();
            var key = host.Factory.CreateClient();
            key.DefaultRequestHeaders.Authorization = new("Bearer", token);

            var me = await key.GetFromJsonAsync<JsonElement>("/api/auth/me");

            var expected = resolver.DefaultsFor(keyRole).Intersect(resolver.DefaultsFor(ownerRole))
                .Union(keyRole == Roles.Owner && ownerRole == Roles.Owner ? [CorePermissions.AdminUsers] : []).Order(StringComparer.Ordinal);
            Assert.Equal(expected, me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()!));
        }
    }

    [Fact]
    public async Task Api_key_management_follows_manage_only_what_you_could_grant()
    {
        var tenant = await host.NewTenantAsync("keyrule");
        var keys = await tenant.ClientFor(Roles.Owner).GetFromJsonAsync<JsonElement>("/api/api-keys?all=true");
        Guid KeyOf(string role) => keys.EnumerateArray().Single(k => k.GetProperty("userId").GetGuid() == tenant.UserId(role)).GetProperty("id").GetGuid();
        var admin = tenant.ClientFor(Roles.Admin);

        await HttpAssert.ProblemAsync(await admin.DeleteAsync($"/api/api-keys/{KeyOf(Roles.Owner)}"), 403);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/api-keys/{KeyOf(Roles.Analyst)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.ClientFor(Roles.Owner).DeleteAsync($"/api/api-keys/{KeyOf(Roles.Admin)}")).StatusCode);
        (await tenant.ClientFor(Roles.Owner).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.ClientFor(Roles.Analyst).GetAsync("/api/auth/me")).StatusCode);
    }

    [Theory]
    [InlineData("hello:write")]
    [InlineData("apikeys:create")]
    [InlineData("signatures:sign")]
    [InlineData("admin:users")]
    public async Task The_auditor_can_never_be_given_a_permission_that_changes_data(string permission)
    {
        var tenant = await host.NewTenantAsync("auditor");

        var refused = await tenant.ClientFor(Roles.Owner).PutAsJsonAsync($"/api/roles/Auditor/permissions/{permission}", new { granted = true });

        var problem = await HttpAssert.ProblemAsync(refused, 400);
        Assert.Contains("only reads", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var auditor = await tenant.ClientFor(Roles.Auditor).GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.DoesNotContain(permission, auditor.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        // Reading stays grantable.
        (await tenant.ClientFor(Roles.Owner).PutAsJsonAsync("/api/roles/Auditor/permissions/hello:read", new { granted = true })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Creating_a_user_never_tells_one_organization_about_anothers_logins()
    {
        var first = await host.NewTenantAsync("leak-a");
        var second = await host.NewTenantAsync("leak-b");

        // The login of a user of the first organization, created in the second.
        var response = await second.ClientFor(Roles.Admin).PostAsJsonAsync("/api/users",
            new { login = first.Login(Roles.Viewer), displayName = "Same login", role = Roles.Viewer, password = "A-long-enough-passphrase" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var again = await second.ClientFor(Roles.Admin).PostAsJsonAsync("/api/users",
            new { login = first.Login(Roles.Viewer), displayName = "Twice", role = Roles.Viewer, password = "A-long-enough-passphrase" });
        var conflict = await HttpAssert.ProblemAsync(again, 409);
        Assert.Contains("This organization already has", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Identity;

namespace QmsAgentHost.Tests.Identity;

public sealed class ApiKeysApiTests(IdentityHost host) : IClassFixture<IdentityHost>
{
    private HttpClient WithKey(string token)
    {
        var client = host.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<(Guid Id, string Token)> CreateKeyAsync(HttpClient client, string role, string name = "ci pipeline")
    {
        var response = await client.PostAsJsonAsync("/api/api-keys", new { name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("key").GetProperty("id").GetGuid(), body.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task A_new_key_works_its_token_is_shown_once_and_the_audit_names_its_creator()
    {
        var tenant = await host.NewTenantAsync("keys");
        var analyst = await host.SignInAsync(tenant.Login(Roles.Analyst));

        var (id, token) = await CreateKeyAsync(analyst, Roles.Viewer, "reporting");

        Assert.StartsWith("qms_", token, StringComparison.Ordinal);
        var me = await WithKey(token).GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(Roles.Viewer, me.GetProperty("role").GetString());
        Assert.Equal("apikey", me.GetProperty("authenticationMethod").GetString());
        var list = await analyst.GetStringAsync("/api/api-keys");
        Assert.Contains(id.ToString(), list, StringComparison.Ordinal);
        Assert.DoesNotContain(token[^43..], list, StringComparison.Ordinal);
        Assert.DoesNotContain("token", list, StringComparison.OrdinalIgnoreCase);
        var audit = (await host.AuditAsync(tenant.OrgId, "apikey.created")).Single(e => e.EntityId == id.ToString());
        Assert.Equal(tenant.UserId(Roles.Analyst), audit.ActorId);
        Assert.Equal($"{Roles.Analyst} of {tenant.Slug}", audit.ActorName);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_the_next_request()
    {
        var tenant = await host.NewTenantAsync("revoke");
        var manager = tenant.ClientFor(Roles.Manager);
        var (id, token) = await CreateKeyAsync(manager, Roles.Analyst);
        (await WithKey(token).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();

        var revoked = await manager.DeleteAsync($"/api/api-keys/{id}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        var refused = await WithKey(token).GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var audit = Assert.Single(await host.AuditAsync(tenant.OrgId, "apikey.revoked"));
        Assert.Equal(tenant.UserId(Roles.Manager), audit.ActorId);
        Assert.Equal(JsonValueKind.Null, audit.BeforeJson.GetProperty("revokedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, audit.AfterJson.GetProperty("revokedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"/api/api-keys/{id}")).StatusCode);
        Assert.Single(await host.AuditAsync(tenant.OrgId, "apikey.revoked"));
    }

    [Fact]
    public async Task An_expired_key_is_refused()
    {
        var tenant = await host.NewTenantAsync("expired");
        var provisioner = host.Factory.Services.GetRequiredService<TenantProvisioner>();
        var clock = host.Factory.Services.GetRequiredService<TimeProvider>();
        var (_, expired) = await provisioner.CreateApiKeyAsync(tenant.OrgId, tenant.UserId(Roles.Analyst), "old", Roles.Analyst,
            clock.GetUtcNow().AddMinutes(-1), CancellationToken.None);
        var (_, valid) = await provisioner.CreateApiKeyAsync(tenant.OrgId, tenant.UserId(Roles.Analyst), "fresh", Roles.Analyst,
            clock.GetUtcNow().AddHours(1), CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, (await WithKey(expired).GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithKey(valid).GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_key_cannot_carry_a_role_its_creator_could_not_grant()
    {
        var tenant = await host.NewTenantAsync("bounds");

        await HttpAssert.ProblemAsync(await tenant.ClientFor(Roles.Analyst).PostAsJsonAsync("/api/api-keys", new { name = "up", role = Roles.Manager }), 403);
        await HttpAssert.ProblemAsync(await tenant.ClientFor(Roles.Manager).PostAsJsonAsync("/api/api-keys", new { name = "aud", role = Roles.Auditor }), 403);
        await HttpAssert.ProblemAsync(await tenant.ClientFor(Roles.Viewer).PostAsJsonAsync("/api/api-keys", new { name = "v", role = Roles.Viewer }), 403);
        // An Admin's Analyst key cannot mint an Admin key: the role in force is the key's, not its owner's.
        var (_, analystKeyOfAdmin) = await CreateKeyAsync(tenant.ClientFor(Roles.Admin), Roles.Analyst);
        await HttpAssert.ProblemAsync(await WithKey(analystKeyOfAdmin).PostAsJsonAsync("/api/api-keys", new { name = "up", role = Roles.Admin }), 403);
    }

    [Fact]
    public async Task Invalid_requests_are_validation_problems()
    {
        var tenant = await host.NewTenantAsync("keyinvalid");
        var analyst = tenant.ClientFor(Roles.Analyst);

        await HttpAssert.ValidationErrorAsync(await analyst.PostAsJsonAsync("/api/api-keys", new { name = "", role = Roles.Viewer }), "name");
        await HttpAssert.ValidationErrorAsync(await analyst.PostAsJsonAsync("/api/api-keys", new { name = "x", role = "Boss" }), "role");
        await HttpAssert.ValidationErrorAsync(await analyst.PostAsJsonAsync("/api/api-keys",
            new { name = "x", role = Roles.Viewer, expiresAt = DateTimeOffset.Parse("2001-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture) }), "expiresAt");
    }

    [Fact]
    public async Task Users_see_and_revoke_their_own_keys_and_admins_every_key()
    {
        var tenant = await host.NewTenantAsync("keylist");
        var analyst = tenant.ClientFor(Roles.Analyst);
        var manager = tenant.ClientFor(Roles.Manager);
        var (managerKey, _) = await CreateKeyAsync(manager, Roles.Viewer, "manager's");

        var own = await analyst.GetFromJsonAsync<JsonElement>("/api/api-keys");
        var all = await tenant.ClientFor(Roles.Admin).GetFromJsonAsync<JsonElement>("/api/api-keys?all=true");

        Assert.All(own.EnumerateArray(), k => Assert.Equal(tenant.UserId(Roles.Analyst), k.GetProperty("userId").GetGuid()));
        Assert.Single(own.EnumerateArray());
        Assert.Equal(Roles.All.Count + 1, all.GetArrayLength());
        await HttpAssert.ProblemAsync(await analyst.GetAsync("/api/api-keys?all=true"), 403);
        await HttpAssert.ProblemAsync(await analyst.DeleteAsync($"/api/api-keys/{managerKey}"), 404);
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.ClientFor(Roles.Admin).DeleteAsync($"/api/api-keys/{managerKey}")).StatusCode);
        // Anyone may revoke their own key, even without apikeys:create.
        var viewerKeyId = (await tenant.ClientFor(Roles.Viewer).GetFromJsonAsync<JsonElement>("/api/api-keys"))[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.ClientFor(Roles.Viewer).DeleteAsync($"/api/api-keys/{viewerKeyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.ClientFor(Roles.Viewer).GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_key_whose_owner_is_demoted_is_demoted_too()
    {
        var tenant = await host.NewTenantAsync("demote");
        var managerKey = tenant.ClientFor(Roles.Manager);
        Assert.Equal(Roles.Manager, (await managerKey.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("role").GetString());

        (await tenant.ClientFor(Roles.Admin).PatchAsJsonAsync($"/api/users/{tenant.UserId(Roles.Manager)}", new { role = Roles.Viewer })).EnsureSuccessStatusCode();

        var me = await managerKey.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal(Roles.Viewer, me.GetProperty("role").GetString());
        Assert.DoesNotContain("audit-trail:view", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Keys_of_a_disabled_user_stop_working()
    {
        var tenant = await host.NewTenantAsync("keydisabled");

        (await tenant.ClientFor(Roles.Admin).PostAsync($"/api/users/{tenant.UserId(Roles.Analyst)}/disable", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.ClientFor(Roles.Analyst).GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.ClientFor(Roles.Analyst).GetAsync("/api/api-keys")).StatusCode);
    }
}

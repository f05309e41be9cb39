using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using QmsAgentHost.Identity;
using QmsAgentHost.Plugins;

namespace QmsAgentHost.Tests.Tenancy;

/// <summary>
/// The cross-tenant matrix at the API: for every endpoint and every plugin function, tenant A
/// (with its most privileged user) can never read, find, change or count tenant B's data.
/// A new endpoint or function fails <see cref="Every_endpoint_and_function_is_in_the_matrix"/>
/// until it gets its row: here for the host's own, or in a <see cref="CrossTenantRows"/> class of its
/// own (one per capability or plugin, found by reflection), so parallel work never edits one list.
/// </summary>
public sealed class CrossTenantApiTests(TwoTenantsFixture fixture) : IClassFixture<TwoTenantsFixture>
{
    private TestTenantPair T => new(fixture);

    public static TheoryData<string> Endpoints => [.. EndpointChecks.Keys];

    public static TheoryData<string> Functions => [.. FunctionChecks.Keys];

    private static readonly CrossTenantRows[] Contributed = [.. typeof(CrossTenantApiTests).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(CrossTenantRows)) && !t.IsAbstract)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (CrossTenantRows)Activator.CreateInstance(t)!)];

    private static readonly Dictionary<string, Func<TestTenantPair, Task>> FunctionChecks = With(c => c.Functions, new()
    {
        ["hello.greet"] = t => t.GreetSpeaksForOwnTenantAsync(),
        ["hello.list_guest_book"] = t => t.GuestBookListsOnlyOwnEntriesAsync(),
        ["hello.sign_guest_book"] = t => t.SigningLeavesTheOtherTenantUntouchedAsync(),
        ["hello.approve_guest_book_entry"] = t => t.ApprovingAnEntryOfBIsNotFoundAsync(),
    });

    private static readonly Dictionary<string, Func<TestTenantPair, Task>> EndpointChecks = With(c => c.Endpoints, new()
    {
        ["ANY /health/live"] = t => t.AnonymousGetHasNoTenantDataAsync("/health/live"),
        ["ANY /health/ready"] = t => t.AnonymousGetHasNoTenantDataAsync("/health/ready"),
        ["GET /api/plugins/"] = t => t.OwnerGetHasNoDataOfBAsync("/api/plugins"),
        ["GET /api/plugins/{id}"] = t => t.OwnerGetHasNoDataOfBAsync("/api/plugins/hello"),
        ["PUT /api/plugins/{id}/enabled"] = t => t.SwitchingOffStaysInOwnTenantAsync(),
        ["POST /api/plugins/{id}/functions/{function}"] = t => Task.WhenAll(FunctionChecks.Values.Select(check => check(t))),
        ["GET /api/auth/me"] = t => t.MeIsOwnTenantAsync(),
        ["POST /api/auth/sign-in"] = t => t.SignInCannotCrossTenantsAsync(),
        ["POST /api/auth/sign-out"] = t => t.SignOutTouchesNoDataAsync(),
        ["ANY "] = t => t.ConsoleShowsOnlyOwnTenantAsync(""),
        ["ANY sign-in"] = t => t.ConsoleShowsOnlyOwnTenantAsync("sign-in"),
        ["ANY sign-out"] = t => t.ConsoleShowsOnlyOwnTenantAsync("sign-out"),
        ["GET /api/users/"] = t => t.UserListIsOwnTenantOnlyAsync(),
        ["POST /api/users/"] = t => t.CreatedUserJoinsOwnTenantOnlyAsync(),
        ["GET /api/users/{id:guid}"] = t => t.UserOfBIsNotFoundAsync(c => c.GetAsync($"/api/users/{t.UserOfB}")),
        ["PATCH /api/users/{id:guid}"] = t => t.UserOfBIsNotFoundAsync(c => c.PatchAsJsonAsync($"/api/users/{t.UserOfB}", new { role = Roles.Viewer })),
        ["POST /api/users/{id:guid}/disable"] = t => t.UserOfBIsNotFoundAsync(c => c.PostAsync($"/api/users/{t.UserOfB}/disable", null)),
        ["POST /api/users/{id:guid}/enable"] = t => t.UserOfBIsNotFoundAsync(c => c.PostAsync($"/api/users/{t.UserOfB}/enable", null)),
        ["POST /api/users/{id:guid}/unlock"] = t => t.UserOfBIsNotFoundAsync(c => c.PostAsync($"/api/users/{t.UserOfB}/unlock", null)),
        ["POST /api/users/{id:guid}/reset-password"] = t => t.UserOfBIsNotFoundAsync(
            c => c.PostAsJsonAsync($"/api/users/{t.UserOfB}/reset-password", new { password = "Another-long-passphrase-1" })),
        ["GET /api/roles/"] = t => t.RoleMapEditsStayInTheirTenantAsync(),
        ["PUT /api/roles/{role}/permissions/{permission}"] = t => t.RoleMapEditsStayInTheirTenantAsync(),
        ["DELETE /api/roles/{role}/permissions/{permission}"] = t => t.RoleMapEditsStayInTheirTenantAsync(),
        ["GET /api/api-keys/"] = t => t.KeyListIsOwnTenantOnlyAsync(),
        ["POST /api/api-keys/"] = t => t.NewKeyActsInOwnTenantOnlyAsync(),
        ["DELETE /api/api-keys/{id:guid}"] = t => t.KeyOfBCannotBeRevokedAsync(),
        ["GET /api/audit/"] = t => t.AuditTrailShowsOnlyOwnEventsAsync(),
        ["GET /api/audit/verify"] = t => t.VerifyCoversOnlyOwnChainAsync(),
        ["GET /api/signatures/"] = t => t.SignaturesOfBAreNotFoundAsync(),
        ["POST /api/signatures/tokens"] = t => t.SigningTokenServesOnlyItsOwnTenantAsync(),
    });

    private static Dictionary<string, Func<TestTenantPair, Task>> With(
        Func<CrossTenantRows, IReadOnlyDictionary<string, Func<TestTenantPair, Task>>> rows, Dictionary<string, Func<TestTenantPair, Task>> own)
    {
        foreach (var (key, check) in Contributed.SelectMany(rows))
        {
            if (!own.TryAdd(key, check))
            {
                throw new InvalidOperationException($"The cross-tenant matrix has two rows for '{key}'.");
            }
        }
        return own;
    }

    [Fact]
    public void Every_endpoint_and_function_is_in_the_matrix()
    {
        var endpoints = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Where(e => !e.Contains("/_framework", StringComparison.Ordinal))
            .ToHashSet();
        var functions = fixture.Factory.Services.GetRequiredService<PluginCatalog>().All
            .SelectMany(p => p.Functions).Select(f => f.QualifiedName).ToHashSet();

        Assert.Empty(endpoints.Except(EndpointChecks.Keys).Order());
        Assert.Empty(functions.Except(FunctionChecks.Keys).Order());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public Task Endpoint_never_crosses_tenants(string endpoint) => EndpointChecks[endpoint](T);

    [Theory]
    [MemberData(nameof(Functions))]
    public Task Plugin_function_never_crosses_tenants(string function) => FunctionChecks[function](T);

    /// <summary>The checks, each as tenant A against the data of tenant B.</summary>
    internal sealed class TestTenantPair(TwoTenantsFixture fixture)
    {
        public TwoTenantsFixture Fixture => fixture;

        private string OrgOfB => fixture.B.OrgId.ToString();

        public async Task AnonymousGetHasNoTenantDataAsync(string path)
        {
            var body = await fixture.Factory.CreateClient().GetStringAsync(path);
            AssertHasNothingOfB(body);
        }

        public async Task OwnerGetHasNoDataOfBAsync(string path)
        {
            foreach (var role in Roles.All)
            {
                var response = await fixture.A.ClientFor(role).GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                AssertHasNothingOfB(await response.Content.ReadAsStringAsync());
            }
        }

        public async Task MeIsOwnTenantAsync()
        {
            foreach (var role in Roles.All)
            {
                var me = await fixture.A.ClientFor(role).GetFromJsonAsync<JsonElement>("/api/auth/me");
                Assert.Equal(fixture.A.OrgId, me.GetProperty("orgId").GetGuid());
                Assert.Equal(role, me.GetProperty("role").GetString());
            }
        }

        public async Task SignInCannotCrossTenantsAsync()
        {
            var client = fixture.Factory.CreateClient();
            // B's login with A's (identical) password still lands in B, never A; and a B login cannot name A's org.
            var response = await client.PostAsJsonAsync("/api/auth/sign-in", new { organization = fixture.B.Slug, login = fixture.B.Login(Roles.Owner), password = "wrong-password-123" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            AssertHasNothingOfB(await response.Content.ReadAsStringAsync());

            var handler = fixture.Factory.Server.CreateHandler();
            using var cookieClient = new HttpClient(new CookieContainerHandler(handler)) { BaseAddress = fixture.Factory.Server.BaseAddress };
            (await cookieClient.PostAsJsonAsync("/api/auth/sign-in", new { organization = fixture.A.Slug, login = fixture.A.Login(Roles.Owner), password = Infrastructure.TestTenant.Password })).EnsureSuccessStatusCode();
            var me = await cookieClient.GetFromJsonAsync<JsonElement>("/api/auth/me");
            Assert.Equal(fixture.A.OrgId, me.GetProperty("orgId").GetGuid());
        }

        public async Task SignOutTouchesNoDataAsync()
        {
            var response = await fixture.A.ClientFor(Roles.Owner).PostAsync("/api/auth/sign-out", null);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        public async Task SwitchingOffStaysInOwnTenantAsync()
        {
            var off = await fixture.A.ClientFor(Roles.Owner).PutAsJsonAsync("/api/plugins/alpha-only-in-a/enabled", new { enabled = false });
            Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
            // Switching a plugin off and on again in A leaves B's calls untouched throughout.
            (await fixture.A.ClientFor(Roles.Owner).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = false })).EnsureSuccessStatusCode();
            try
            {
                var plugin = await fixture.B.ClientFor(Roles.Viewer).GetFromJsonAsync<JsonElement>("/api/plugins/hello");
                Assert.True(plugin.GetProperty("enabledForOrganization").GetBoolean());
                await CallAsAsync(fixture.B, Roles.Viewer, "greet", new { name = "Bo" });
            }
            finally
            {
                (await fixture.A.ClientFor(Roles.Owner).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = true })).EnsureSuccessStatusCode();
            }
        }

        public async Task GreetSpeaksForOwnTenantAsync()
        {
            var result = await CallAsync(Roles.Owner, "greet", new { name = "Ana" });
            Assert.Equal(fixture.A.OrgId.ToString(), result.GetProperty("organization").GetString());
        }

        public async Task GuestBookListsOnlyOwnEntriesAsync()
        {
            foreach (var role in Roles.All)
            {
                var entries = await CallAsync(role, "list_guest_book", new { limit = 100 });
                Assert.NotEmpty(entries.EnumerateArray());
                Assert.All(entries.EnumerateArray(), e => Assert.StartsWith("tenant-a", e.GetProperty("name").GetString()));
                AssertHasNothingOfB(entries.GetRawText());
            }
        }

        public async Task SigningLeavesTheOtherTenantUntouchedAsync()
        {
            var before = (await CallAsAsync(fixture.B, Roles.Viewer, "list_guest_book", new { limit = 100 })).GetArrayLength();
            await CallAsync(Roles.Owner, "sign_guest_book", new { name = "tenant-a visitor", message = "hello from A" });
            var after = await CallAsAsync(fixture.B, Roles.Viewer, "list_guest_book", new { limit = 100 });
            Assert.Equal(before, after.GetArrayLength());
            Assert.DoesNotContain("hello from A", after.GetRawText(), StringComparison.Ordinal);
        }

        public Guid UserOfB => fixture.B.UserId(Roles.Admin);

        public async Task ConsoleShowsOnlyOwnTenantAsync(string path)
        {
            using var client = await SignedInCookieClientAsync(fixture.A, Roles.Owner);
            var response = await client.GetAsync("/" + path);
            Assert.True((int)response.StatusCode < 500, $"/{path} answered {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            AssertHasNothingOfB(body);
            Assert.DoesNotContain(fixture.B.Login(Roles.Owner), body, StringComparison.OrdinalIgnoreCase);
        }

        public async Task UserListIsOwnTenantOnlyAsync()
        {
            var users = await fixture.A.ClientFor(Roles.Owner).GetFromJsonAsync<JsonElement>("/api/users?pageSize=200");
            Assert.All(users.GetProperty("items").EnumerateArray(),
                u => Assert.EndsWith("@tenant-a.test", u.GetProperty("login").GetString(), StringComparison.Ordinal));
            AssertHasNothingOfB(users.GetRawText());
        }

        public async Task CreatedUserJoinsOwnTenantOnlyAsync()
        {
            var before = await CountUsersAsync(fixture.B);
            var login = $"new-{Guid.NewGuid():N}@tenant-a.test";
            var created = await fixture.A.ClientFor(Roles.Owner).PostAsJsonAsync("/api/users",
                new { login, displayName = "New in A", role = Roles.Viewer, password = "A-long-enough-passphrase" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(before, await CountUsersAsync(fixture.B));
        }

        public async Task UserOfBIsNotFoundAsync(Func<HttpClient, Task<HttpResponseMessage>> request)
        {
            var response = await request(fixture.A.ClientFor(Roles.Owner));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            AssertHasNothingOfB(await response.Content.ReadAsStringAsync());
            var me = await fixture.B.ClientFor(Roles.Admin).GetFromJsonAsync<JsonElement>("/api/auth/me");
            Assert.Equal(Roles.Admin, me.GetProperty("role").GetString());
        }

        public async Task RoleMapEditsStayInTheirTenantAsync()
        {
            var adminB = fixture.B.ClientFor(Roles.Admin);
            (await adminB.PutAsJsonAsync("/api/roles/Viewer/permissions/hello:write", new { granted = true })).EnsureSuccessStatusCode();
            try
            {
                var adminA = fixture.A.ClientFor(Roles.Admin);
                var mapOfA = await adminA.GetFromJsonAsync<JsonElement>("/api/roles");
                var viewerOfA = mapOfA.EnumerateArray().Single(r => r.GetProperty("role").GetString() == Roles.Viewer);
                Assert.All(viewerOfA.GetProperty("permissions").EnumerateArray(), p => Assert.Equal("default", p.GetProperty("source").GetString()));
                // A edits and resets its own map; B's edit stays.
                (await adminA.PutAsJsonAsync("/api/roles/Viewer/permissions/hello:read", new { granted = false })).EnsureSuccessStatusCode();
                (await adminA.DeleteAsync("/api/roles/Viewer/permissions/hello:read")).EnsureSuccessStatusCode();
                (await adminA.DeleteAsync("/api/roles/Viewer/permissions/hello:write")).EnsureSuccessStatusCode();
                var viewerOfB = await fixture.B.ClientFor(Roles.Viewer).GetFromJsonAsync<JsonElement>("/api/auth/me");
                Assert.Contains("hello:write", viewerOfB.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
            }
            finally
            {
                (await adminB.DeleteAsync("/api/roles/Viewer/permissions/hello:write")).EnsureSuccessStatusCode();
            }
        }

        public async Task KeyListIsOwnTenantOnlyAsync()
        {
            var keys = await fixture.A.ClientFor(Roles.Owner).GetFromJsonAsync<JsonElement>("/api/api-keys?all=true");
            Assert.NotEmpty(keys.EnumerateArray());
            Assert.All(keys.EnumerateArray(), k => Assert.EndsWith("@tenant-a.test", k.GetProperty("userLogin").GetString(), StringComparison.Ordinal));
        }

        public async Task NewKeyActsInOwnTenantOnlyAsync()
        {
            var created = await fixture.A.ClientFor(Roles.Analyst).PostAsJsonAsync("/api/api-keys", new { name = "matrix", role = Roles.Viewer });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
            using var client = fixture.Factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
            Assert.Equal(fixture.A.OrgId, me.GetProperty("orgId").GetGuid());
        }

        public async Task KeyOfBCannotBeRevokedAsync()
        {
            var keysOfB = await fixture.B.ClientFor(Roles.Admin).GetFromJsonAsync<JsonElement>("/api/api-keys?all=true");
            var keyOfB = keysOfB.EnumerateArray().First().GetProperty("id").GetGuid();
            var revoke = await fixture.A.ClientFor(Roles.Owner).DeleteAsync($"/api/api-keys/{keyOfB}");
            Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
            foreach (var role in Roles.All)
            {
                (await fixture.B.ClientFor(role).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
            }
        }

        private static async Task<int> CountUsersAsync(Infrastructure.TestTenant tenant) =>
            (await tenant.ClientFor(Roles.Owner).GetFromJsonAsync<JsonElement>("/api/users?pageSize=200")).GetProperty("items").GetArrayLength();

        private async Task<HttpClient> SignedInCookieClientAsync(Infrastructure.TestTenant tenant, string role)
        {
            var client = new HttpClient(new CookieContainerHandler(fixture.Factory.Server.CreateHandler())) { BaseAddress = fixture.Factory.Server.BaseAddress };
            (await client.PostAsJsonAsync("/api/auth/sign-in", new { organization = tenant.Slug, login = tenant.Login(role), password = Infrastructure.TestTenant.Password })).EnsureSuccessStatusCode();
            return client;
        }

        public async Task AuditTrailShowsOnlyOwnEventsAsync()
        {
            var entryOfB = await FirstEntryIdAsync(fixture.B);
            var page = await fixture.A.ClientFor(Roles.Owner).GetFromJsonAsync<JsonElement>("/api/audit?pageSize=200");
            Assert.NotEmpty(page.GetProperty("items").EnumerateArray());
            AssertHasNothingOfB(page.GetRawText());
            Assert.DoesNotContain(entryOfB, page.GetRawText(), StringComparison.OrdinalIgnoreCase);
            var found = await fixture.A.ClientFor(Roles.Owner).GetFromJsonAsync<JsonElement>($"/api/audit?entityId={entryOfB}");
            Assert.Empty(found.GetProperty("items").EnumerateArray());
            Assert.Equal(0, found.GetProperty("total").GetInt64());
        }

        public async Task VerifyCoversOnlyOwnChainAsync()
        {
            var client = fixture.A.ClientFor(Roles.Owner);
            var verification = await client.GetFromJsonAsync<JsonElement>("/api/audit/verify");
            var total = (await client.GetFromJsonAsync<JsonElement>("/api/audit?pageSize=1")).GetProperty("total").GetInt64();
            Assert.True(verification.GetProperty("valid").GetBoolean());
            Assert.Equal(total, verification.GetProperty("eventsChecked").GetInt64());
        }

        public async Task SignaturesOfBAreNotFoundAsync()
        {
            var entryOfB = await FirstEntryIdAsync(fixture.B);
            await CallAsAsync(fixture.B, Roles.Manager, "approve_guest_book_entry",
                new { entryId = entryOfB, meaning = "Reviewed", password = Infrastructure.TestTenant.Password });
            var ofB = await fixture.B.ClientFor(Roles.Owner).GetFromJsonAsync<JsonElement>($"/api/signatures?entityType=guest-book-entry&entityId={entryOfB}");
            Assert.NotEmpty(ofB.EnumerateArray());

            var seenByA = await fixture.A.ClientFor(Roles.Owner).GetAsync($"/api/signatures?entityType=guest-book-entry&entityId={entryOfB}");
            Assert.Equal(HttpStatusCode.OK, seenByA.StatusCode);
            Assert.Empty((await seenByA.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        }

        public async Task SigningTokenServesOnlyItsOwnTenantAsync()
        {
            var response = await fixture.A.ClientFor(Roles.Manager).PostAsJsonAsync("/api/signatures/tokens", new { password = Infrastructure.TestTenant.Password });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
            var entryOfB = await FirstEntryIdAsync(fixture.B);
            // A's token cannot sign B's record: the record is not found in A, and the token stays unused.
            var attempt = await fixture.A.ClientFor(Roles.Manager).PostAsJsonAsync("/api/plugins/hello/functions/approve_guest_book_entry",
                new { entryId = entryOfB, meaning = "Approved", signingToken = token });
            Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
            var entryOfA = await FirstEntryIdAsync(fixture.A);
            await CallAsync(Roles.Manager, "approve_guest_book_entry", new { entryId = entryOfA, meaning = "Reviewed", signingToken = token });
        }

        public async Task ApprovingAnEntryOfBIsNotFoundAsync()
        {
            var entryOfB = await FirstEntryIdAsync(fixture.B);
            var attempt = await fixture.A.ClientFor(Roles.Owner).PostAsJsonAsync("/api/plugins/hello/functions/approve_guest_book_entry",
                new { entryId = entryOfB, meaning = "Approved", password = Infrastructure.TestTenant.Password });
            Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
            var entriesOfB = await CallAsAsync(fixture.B, Roles.Viewer, "list_guest_book", new { limit = 100 });
            var entry = entriesOfB.EnumerateArray().Single(e => e.GetProperty("id").GetString() == entryOfB);
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("approvedAt").ValueKind);
        }

        private static async Task<string> FirstEntryIdAsync(Infrastructure.TestTenant tenant)
        {
            var entries = await CallAsAsync(tenant, Roles.Viewer, "list_guest_book", new { limit = 100 });
            return entries.EnumerateArray().Last().GetProperty("id").GetString()!;
        }

        private Task<JsonElement> CallAsync(string role, string function, object arguments) => CallAsAsync(fixture.A, role, function, arguments);

        private static async Task<JsonElement> CallAsAsync(Infrastructure.TestTenant tenant, string role, string function, object arguments)
        {
            var response = await tenant.ClientFor(role).PostAsJsonAsync($"/api/plugins/hello/functions/{function}", arguments);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
        }

        public void AssertHasNothingOfB(string body)
        {
            Assert.DoesNotContain(OrgOfB, body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("tenant-b", body, StringComparison.OrdinalIgnoreCase);
        }
    }
}

/// <summary>
/// Rows of the cross-tenant matrix for one capability or plugin. Each row proves, as tenant A with
/// its most privileged users, that an endpoint or function never reads, finds, changes or counts
/// tenant B's data. Keys: <c>"METHOD /route/pattern"</c> as the endpoint data source lists it, and
/// <c>plugin.function</c>.
/// </summary>
internal abstract class CrossTenantRows
{
    public virtual IReadOnlyDictionary<string, Func<CrossTenantApiTests.TestTenantPair, Task>> Endpoints { get; } =
        new Dictionary<string, Func<CrossTenantApiTests.TestTenantPair, Task>>();

    public virtual IReadOnlyDictionary<string, Func<CrossTenantApiTests.TestTenantPair, Task>> Functions { get; } =
        new Dictionary<string, Func<CrossTenantApiTests.TestTenantPair, Task>>();
}

/// <summary>Keeps cookies between requests for a test-server client.</summary>
internal sealed class CookieContainerHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly CookieContainer _cookies = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        // As a browser on the site's own page: same-origin writes carry the Origin (RequestGuard).
        if (!request.Headers.Contains("Origin"))
        {
            request.Headers.Add("Origin", uri.GetLeftPart(UriPartial.Authority));
        }
        var header = _cookies.GetCookieHeader(uri);
        if (header.Length > 0)
        {
            request.Headers.Add("Cookie", header);
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var value in values)
            {
                _cookies.SetCookies(uri, value);
            }
        }
        return response;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace QmsAgentHost.Tests.Tenancy.Rows;

/// <summary>The sites API: an organization's admins see and add only their own organization's sites.</summary>
internal sealed class SitesRows : CrossTenantRows
{
    public override IReadOnlyDictionary<string, Func<CrossTenantApiTests.TestTenantPair, Task>> Endpoints { get; } =
        new Dictionary<string, Func<CrossTenantApiTests.TestTenantPair, Task>>
        {
            ["GET /api/sites/"] = ListsOnlyOwnSitesAsync,
            ["POST /api/sites/"] = AddsToOwnOrganizationOnlyAsync,
        };

    private static async Task ListsOnlyOwnSitesAsync(CrossTenantApiTests.TestTenantPair t)
    {
        foreach (var role in new[] { Roles.Owner, Roles.Admin })
        {
            var response = await t.Fixture.A.ClientFor(role).GetAsync("/api/sites");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            t.AssertHasNothingOfB(body);
            var names = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
            Assert.Contains("Main plant", names);
            Assert.DoesNotContain("Also in B", names);
        }
    }

    private static async Task AddsToOwnOrganizationOnlyAsync(CrossTenantApiTests.TestTenantPair t)
    {
        var code = "X" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var created = await t.Fixture.A.ClientFor(Roles.Admin).PostAsJsonAsync("/api/sites", new { name = "Only in A", code });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ofB = await t.Fixture.B.ClientFor(Roles.Admin).GetFromJsonAsync<JsonElement>("/api/sites");
        Assert.DoesNotContain(code, ofB.GetRawText(), StringComparison.Ordinal);
        // B may add the same code: codes are per organization.
        Assert.Equal(HttpStatusCode.Created, (await t.Fixture.B.ClientFor(Roles.Admin).PostAsJsonAsync("/api/sites", new { name = "Also in B", code })).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using QmsAgentHost.Identity;

namespace QmsAgentHost.Tests.Tenancy.Rows;

/// <summary>The chat API: a plan is computed from the caller's own tenant's functions and switches only.</summary>
internal sealed class ChatRows : CrossTenantRows
{
    public override IReadOnlyDictionary<string, Func<CrossTenantApiTests.TestTenantPair, Task>> Endpoints { get; } =
        new Dictionary<string, Func<CrossTenantApiTests.TestTenantPair, Task>>
        {
            ["POST /api/chat/plan"] = PlanSeesOnlyOwnTenantAsync,
        };

    // B switching the guest book off changes B's plans and never A's; no plan carries anything of B.
    private static async Task PlanSeesOnlyOwnTenantAsync(CrossTenantApiTests.TestTenantPair t)
    {
        var fixture = t.Fixture;
        (await fixture.B.ClientFor(Roles.Owner).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = false })).EnsureSuccessStatusCode();
        try
        {
            foreach (var role in Roles.All)
            {
                var response = await fixture.A.ClientFor(role).PostAsJsonAsync("/api/chat/plan", new { message = "who signed the guest book?" });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = await response.Content.ReadAsStringAsync();
                t.AssertHasNothingOfB(body);
                Assert.Equal("list_guest_book", JsonDocument.Parse(body).RootElement.GetProperty("function").GetString());
            }
            var ofB = await fixture.B.ClientFor(Roles.Owner).PostAsJsonAsync("/api/chat/plan", new { message = "who signed the guest book?" });
            Assert.Equal(JsonValueKind.Null, (await ofB.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("function").ValueKind);
        }
        finally
        {
            (await fixture.B.ClientFor(Roles.Owner).PutAsJsonAsync("/api/plugins/hello/enabled", new { enabled = true })).EnsureSuccessStatusCode();
        }
    }
}

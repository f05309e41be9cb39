using System.Net;
using System.Text.Json;
using QmsAgentHost.Identity;
using static QmsAgentHost.Tests.Audit.HelloCalls;

namespace QmsAgentHost.Tests.Audit;

public sealed class AuditApiTests(AuditHostFixture fixture) : IClassFixture<AuditHostFixture>
{
    private const string Signed = "hello.guest-book-signed";

    [Fact]
    public async Task Events_of_real_actions_appear_with_their_actor_and_details()
    {
        var tenant = await fixture.NewTenantAsync("audit-api");
        var correlation = "corr-" + Guid.NewGuid().ToString("N");
        var entry = await SignGuestBookAsync(tenant.ClientFor(Roles.Analyst), "Maria", "Great audit today", correlation);

        var page = await GetJsonAsync(tenant.ClientFor(Roles.Manager), $"/api/audit?action={Signed}");

        Assert.Equal(1, page.GetProperty("total").GetInt64());
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(tenant.UserId(Roles.Analyst), item.GetProperty("actorId").GetGuid());
        Assert.Equal($"Analyst of {tenant.Slug}", item.GetProperty("actorName").GetString());
        Assert.Equal("guest-book-entry", item.GetProperty("entityType").GetString());
        Assert.Equal(entry.GetProperty("id").GetString(), item.GetProperty("entityId").GetString());
        Assert.Equal(correlation, item.GetProperty("correlationId").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("before").ValueKind);
        Assert.Equal("Great audit today", item.GetProperty("after").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("ai").ValueKind);
        Assert.Matches("^[0-9a-f]{64}$", item.GetProperty("hash").GetString());
        Assert.Matches("^[0-9a-f]{64}$", item.GetProperty("prevHash").GetString());
        Assert.True(item.GetProperty("seq").GetInt64() > 1);
    }

    [Fact]
    public async Task Filters_narrow_the_events()
    {
        var tenant = await fixture.NewTenantAsync("audit-filter");
        var analyst = tenant.ClientFor(Roles.Analyst);
        var first = await SignGuestBookAsync(analyst, "A", "one");
        await SignGuestBookAsync(analyst, "B", "two");
        await SignGuestBookAsync(tenant.ClientFor(Roles.Manager), "C", "three", "filter-correlation");
        var manager = tenant.ClientFor(Roles.Manager);

        async Task<long> TotalAsync(string query) => (await GetJsonAsync(manager, "/api/audit?" + query)).GetProperty("total").GetInt64();

        Assert.Equal(3, await TotalAsync($"action={Signed}"));
        Assert.Equal(2, await TotalAsync($"action={Signed}&actorId={tenant.UserId(Roles.Analyst)}"));
        Assert.Equal(1, await TotalAsync($"entityType=guest-book-entry&entityId={first.GetProperty("id").GetString()}"));
        Assert.Equal(1, await TotalAsync("correlationId=filter-correlation"));
        Assert.Equal(3, await TotalAsync($"action={Signed}&from=2000-01-01T00:00:00Z"));
        Assert.Equal(0, await TotalAsync($"action={Signed}&to=2000-01-01"));
        Assert.Equal(0, await TotalAsync($"action={Signed}&from=2999-01-01T00:00:00%2B02:00"));
        Assert.Equal(1, await TotalAsync("action=tenant.created"));
    }

    [Fact]
    public async Task Pages_by_number_and_by_keyset_cover_the_same_events_in_order()
    {
        var tenant = await fixture.NewTenantAsync("audit-paging");
        var analyst = tenant.ClientFor(Roles.Analyst);
        for (var i = 0; i < 5; i++)
        {
            await SignGuestBookAsync(analyst, $"Guest {i}", "hello");
        }
        var manager = tenant.ClientFor(Roles.Manager);

        var byPage = new List<long>();
        for (var page = 1; page <= 3; page++)
        {
            var result = await GetJsonAsync(manager, $"/api/audit?action={Signed}&pageSize=2&page={page}");
            Assert.Equal(5, result.GetProperty("total").GetInt64());
            Assert.Equal(page < 3, result.GetProperty("paging").GetProperty("hasMore").GetBoolean());
            Assert.Equal(page, result.GetProperty("paging").GetProperty("page").GetInt32());
            byPage.AddRange(result.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
        }
        Assert.Equal(byPage.OrderDescending(), byPage);

        var byKeyset = new List<long>();
        long? after = 0;
        while (after is not null)
        {
            var result = await GetJsonAsync(manager, $"/api/audit?action={Signed}&pageSize=2&order=asc&afterSeq={after}");
            byKeyset.AddRange(result.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
            var next = result.GetProperty("paging").GetProperty("nextAfterSeq");
            after = next.ValueKind == JsonValueKind.Null ? null : next.GetInt64();
        }
        Assert.Equal(byPage.Order(), byKeyset);

        var newestAfterCursor = await GetJsonAsync(manager, $"/api/audit?action={Signed}&pageSize=200&afterSeq={byPage[1]}");
        Assert.Equal(byPage.Skip(2), newestAfterCursor.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Each_tenant_sees_only_its_own_events()
    {
        var mine = await fixture.NewTenantAsync("audit-mine");
        var theirs = await fixture.NewTenantAsync("audit-theirs");
        var entry = await SignGuestBookAsync(theirs.ClientFor(Roles.Analyst), "Other", "not yours");

        var page = await GetJsonAsync(mine.ClientFor(Roles.Admin), $"/api/audit?entityId={entry.GetProperty("id").GetString()}");

        Assert.Equal(0, page.GetProperty("total").GetInt64());
        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Viewer_may_neither_read_nor_verify_and_verify_needs_more_than_read()
    {
        var tenant = await fixture.NewTenantAsync("audit-perm");
        var viewer = tenant.ClientFor(Roles.Viewer);

        await ProblemAsync(await viewer.GetAsync("/api/audit"), 403);
        await ProblemAsync(await viewer.GetAsync("/api/audit/verify"), 403);
        await ProblemAsync(await tenant.ClientFor(Roles.Manager).GetAsync("/api/audit/verify"), 403);
        Assert.Equal(HttpStatusCode.OK, (await tenant.ClientFor(Roles.Auditor).GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.ClientFor(Roles.Admin).GetAsync("/api/audit/verify")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Factory.CreateClient().GetAsync("/api/audit")).StatusCode);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=ten", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("afterSeq=x", "afterSeq")]
    [InlineData("page=2&afterSeq=10", "afterSeq")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-13-45T00:00:00Z", "from")]
    [InlineData("to=2026-01-01T00:00:00 02:00", "to")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("actorId=not-a-uuid", "actorId")]
    [InlineData("order=sideways", "order")]
    [InlineData("action=", "action")]
    [InlineData("action=a&action=b", "action")]
    [InlineData("entity_type=ncm", "entity_type")]
    public async Task Bad_query_parameters_are_validation_problems(string query, string parameter)
    {
        var tenant = await fixture.NewTenantAsync("audit-bad");

        var problem = await ProblemAsync(await tenant.ClientFor(Roles.Manager).GetAsync("/api/audit?" + query), 400);

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), problem.ToString());
        Assert.NotEmpty(messages.EnumerateArray());
    }
}

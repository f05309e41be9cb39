using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;
using static QmsAgentHost.Tests.Audit.HelloCalls;

namespace QmsAgentHost.Tests.Audit;

/// <summary>Electronic signatures end to end: through the Hello plugin's approval function and the signatures API.</summary>
public sealed class SignatureTests(AuditHostFixture fixture) : IClassFixture<AuditHostFixture>
{
    [Fact]
    public async Task Wrong_password_is_refused_and_changes_nothing_but_is_audited_and_counted()
    {
        var tenant = await fixture.NewTenantAsync("sig-wrong");
        var manager = fixture.ClockedClientFor(tenant, Roles.Manager);
        var entryId = (await SignGuestBookAsync(manager, "Maria", "please approve")).GetProperty("id").GetString()!;

        var problem = await ProblemAsync(await ApproveAsync(manager, entryId, "Approved", password: "not-my-password"), 403);

        Assert.Equal("The password is wrong.", problem.GetProperty("detail").GetString());
        var entry = await ListEntryAsync(manager, entryId);
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("approvedAt").ValueKind);
        Assert.Empty(entry.GetProperty("signatures").EnumerateArray());
        Assert.Equal(0, await ScalarAsync<long>(tenant, "SELECT count(*) FROM core.signatures"));

        var audit = tenant.ClientFor(Roles.Admin);
        var rejected = Assert.Single((await GetJsonAsync(audit, $"/api/audit?action=signature.rejected&entityId={entryId}")).GetProperty("items").EnumerateArray());
        Assert.Equal(tenant.UserId(Roles.Manager), rejected.GetProperty("actorId").GetGuid());
        Assert.Equal("guest-book-entry", rejected.GetProperty("entityType").GetString());
        Assert.Equal("password", rejected.GetProperty("after").GetProperty("method").GetString());
        Assert.Equal("The password is wrong.", rejected.GetProperty("after").GetProperty("reason").GetString());
        Assert.Equal(1, (await GetJsonAsync(audit, "/api/audit?action=auth.sign-in-failed")).GetProperty("total").GetInt64());
        Assert.Equal(0, (await GetJsonAsync(audit, "/api/audit?action=signature.applied")).GetProperty("total").GetInt64());
        Assert.True((await GetJsonAsync(audit, "/api/audit/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Password_signature_approves_the_entry_and_is_shown_with_it()
    {
        var tenant = await fixture.NewTenantAsync("sig-ok");
        var manager = fixture.ClockedClientFor(tenant, Roles.Manager);
        var written = await SignGuestBookAsync(fixture.ClockedClientFor(tenant, Roles.Analyst), "Jürgen", "Grüße <3 from line 2");
        var entryId = written.GetProperty("id").GetString()!;

        var response = await ApproveAsync(manager, entryId, "approved", password: TestTenant.Password, comment: "looks right");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var approved = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
        Assert.Equal(tenant.UserId(Roles.Manager), approved.GetProperty("approvedBy").GetGuid());
        var signature = Assert.Single(approved.GetProperty("signatures").EnumerateArray());
        Assert.Equal("Approved", signature.GetProperty("meaning").GetString());
        Assert.Equal($"Manager of {tenant.Slug}", signature.GetProperty("signerName").GetString());
        Assert.Equal(tenant.UserId(Roles.Manager), signature.GetProperty("signerId").GetGuid());
        Assert.Equal("looks right", signature.GetProperty("comment").GetString());
        Assert.Equal(approved.GetProperty("approvedAt").GetDateTimeOffset(), signature.GetProperty("signedAt").GetDateTimeOffset());

        // Bound to the record as it was signed: SHA-256 of its canonical JSON (keys sorted, no whitespace).
        var canonical = $$"""{"id":"{{entryId}}","message":"Grüße <3 from line 2","name":"Jürgen","signedAt":"{{written.GetProperty("signedAt").GetString()}}"}""";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), signature.GetProperty("recordHash").GetString());

        var listed = await ListEntryAsync(fixture.ClockedClientFor(tenant, Roles.Viewer), entryId);
        Assert.Equal(signature.ToString(), Assert.Single(listed.GetProperty("signatures").EnumerateArray()).ToString());
        var viaApi = await GetJsonAsync(tenant.ClientFor(Roles.Manager), $"/api/signatures?entityType=guest-book-entry&entityId={entryId}");
        Assert.Equal(signature.GetProperty("id").GetGuid(), Assert.Single(viaApi.EnumerateArray()).GetProperty("id").GetGuid());

        var audit = tenant.ClientFor(Roles.Admin);
        var applied = Assert.Single((await GetJsonAsync(audit, $"/api/audit?action=signature.applied&entityId={entryId}")).GetProperty("items").EnumerateArray());
        Assert.Equal(signature.GetProperty("id").GetGuid(), applied.GetProperty("after").GetProperty("signatureId").GetGuid());
        Assert.Equal(signature.GetProperty("recordHash").GetString(), applied.GetProperty("after").GetProperty("recordHash").GetString());
        Assert.Equal(1, (await GetJsonAsync(audit, $"/api/audit?action=hello.guest-book-entry-approved&entityId={entryId}")).GetProperty("total").GetInt64());
        Assert.Equal(applied.GetProperty("seq").GetInt64(), await ScalarAsync<long>(tenant, "SELECT audit_seq FROM core.signatures"));
        Assert.True((await GetJsonAsync(audit, "/api/audit/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_second_approval_conflicts_but_a_review_signature_is_added()
    {
        var tenant = await fixture.NewTenantAsync("sig-twice");
        var manager = fixture.ClockedClientFor(tenant, Roles.Manager);
        var admin = fixture.ClockedClientFor(tenant, Roles.Admin);
        var entryId = (await SignGuestBookAsync(manager, "Maria", "hello")).GetProperty("id").GetString()!;
        (await ApproveAsync(manager, entryId, "Approved", password: TestTenant.Password)).EnsureSuccessStatusCode();

        await ProblemAsync(await ApproveAsync(admin, entryId, "Approved", password: TestTenant.Password), 409);
        var reviewed = await ApproveAsync(admin, entryId, "Reviewed", password: TestTenant.Password);

        reviewed.EnsureSuccessStatusCode();
        var entry = await ListEntryAsync(manager, entryId);
        Assert.Equal(tenant.UserId(Roles.Manager), entry.GetProperty("approvedBy").GetGuid());
        Assert.Equal(["Approved", "Reviewed"], entry.GetProperty("signatures").EnumerateArray().Select(s => s.GetProperty("meaning").GetString()));
    }

    [Fact]
    public async Task Signing_token_signs_once()
    {
        var tenant = await fixture.NewTenantAsync("sig-token");
        var manager = fixture.ClockedClientFor(tenant, Roles.Manager);
        var entryId = (await SignGuestBookAsync(manager, "Maria", "hello")).GetProperty("id").GetString()!;

        var issued = await manager.PostAsJsonAsync("/api/signatures/tokens", new { password = TestTenant.Password });

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        Assert.Matches("^qsig_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(fixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(5), body.GetProperty("expiresAt").GetDateTimeOffset());

        (await ApproveAsync(manager, entryId, "Approved", signingToken: token)).EnsureSuccessStatusCode();
        var again = await ProblemAsync(await ApproveAsync(manager, entryId, "Reviewed", signingToken: token), 403);

        Assert.Equal("The signing token was already used.", again.GetProperty("detail").GetString());
        var entry = await ListEntryAsync(manager, entryId);
        Assert.Equal("signing-token", Assert.Single((await GetJsonAsync(tenant.ClientFor(Roles.Admin), "/api/audit?action=signature.applied"))
            .GetProperty("items").EnumerateArray()).GetProperty("after").GetProperty("method").GetString());
        Assert.Single(entry.GetProperty("signatures").EnumerateArray());
        Assert.Equal(1, (await GetJsonAsync(tenant.ClientFor(Roles.Admin), "/api/audit?action=signature.token-issued")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Expired_or_foreign_signing_token_is_refused()
    {
        var tenant = await fixture.NewTenantAsync("sig-expired");
        var manager = fixture.ClockedClientFor(tenant, Roles.Manager);
        var entryId = (await SignGuestBookAsync(manager, "Maria", "hello")).GetProperty("id").GetString()!;
        var mine = await IssueTokenAsync(manager);
        var foreign = await IssueTokenAsync(fixture.ClockedClientFor(tenant, Roles.Admin));

        var notMine = await ProblemAsync(await ApproveAsync(manager, entryId, "Approved", signingToken: foreign), 403);
        fixture.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var expired = await ProblemAsync(await ApproveAsync(manager, entryId, "Approved", signingToken: mine), 403);

        Assert.Equal("The signing token is not valid for this user.", notMine.GetProperty("detail").GetString());
        Assert.Equal("The signing token has expired.", expired.GetProperty("detail").GetString());
        Assert.Empty((await ListEntryAsync(manager, entryId)).GetProperty("signatures").EnumerateArray());
        Assert.Equal(2, (await GetJsonAsync(tenant.ClientFor(Roles.Admin), $"/api/audit?action=signature.rejected&entityId={entryId}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Wrong_password_gets_no_token_and_repeated_failures_pause_password_checks()
    {
        var tenant = await fixture.NewTenantAsync("sig-lock");
        var manager = fixture.ClockedClientFor(tenant, Roles.Manager);
        var entryId = (await SignGuestBookAsync(manager, "Maria", "hello")).GetProperty("id").GetString()!;

        await ProblemAsync(await manager.PostAsJsonAsync("/api/signatures/tokens", new { password = "wrong" }), 401);
        for (var i = 0; i < 5; i++)
        {
            await ProblemAsync(await ApproveAsync(manager, entryId, "Approved", password: "wrong"), 403);
        }
        var locked = await ProblemAsync(await ApproveAsync(manager, entryId, "Approved", password: TestTenant.Password), 403);
        var noToken = await manager.PostAsJsonAsync("/api/signatures/tokens", new { password = TestTenant.Password });

        Assert.StartsWith("Password checks are paused until", locked.GetProperty("detail").GetString());
        await ProblemAsync(noToken, 429);
        Assert.Empty((await ListEntryAsync(manager, entryId)).GetProperty("signatures").EnumerateArray());
    }

    [Fact]
    public async Task Signing_needs_exactly_one_credential_and_the_approve_permission()
    {
        var tenant = await fixture.NewTenantAsync("sig-args");
        var manager = fixture.ClockedClientFor(tenant, Roles.Manager);
        var entryId = (await SignGuestBookAsync(manager, "Maria", "hello")).GetProperty("id").GetString()!;

        var neither = await ProblemAsync(await ApproveAsync(manager, entryId, "Approved"), 400);
        var both = await ProblemAsync(await ApproveAsync(manager, entryId, "Approved", TestTenant.Password, "qsig_x"), 400);
        var badMeaning = await ProblemAsync(await ApproveAsync(manager, entryId, "Liked", TestTenant.Password), 400);
        await ProblemAsync(await ApproveAsync(manager, Guid.NewGuid().ToString(), "Approved", TestTenant.Password), 404);
        await ProblemAsync(await ApproveAsync(fixture.ClockedClientFor(tenant, Roles.Analyst), entryId, "Approved", TestTenant.Password), 403);
        await ProblemAsync(await fixture.ClockedClientFor(tenant, Roles.Viewer).PostAsJsonAsync("/api/signatures/tokens", new { password = TestTenant.Password }), 403);

        Assert.Contains("exactly one of the two", neither.GetProperty("detail").GetString());
        Assert.Contains("exactly one of the two", both.GetProperty("detail").GetString());
        Assert.Contains("meaning", badMeaning.GetProperty("detail").GetString());
        Assert.Equal(0, await ScalarAsync<long>(tenant, "SELECT count(*) FROM core.signatures"));
    }

    [Theory]
    [InlineData("entityId=x")]
    [InlineData("entityType=guest-book-entry")]
    [InlineData("entityType=&entityId=x")]
    [InlineData("entityType=a&entityId=x&limit=3")]
    public async Task Signature_list_validates_its_query(string query)
    {
        var tenant = await fixture.NewTenantAsync("sig-query");

        await ProblemAsync(await tenant.ClientFor(Roles.Manager).GetAsync("/api/signatures?" + query), 400);
        await ProblemAsync(await tenant.ClientFor(Roles.Viewer).GetAsync("/api/signatures?entityType=a&entityId=b"), 403);
    }

    private static async Task<string> IssueTokenAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/signatures/tokens", new { password = TestTenant.Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private async Task<T> ScalarAsync<T>(TestTenant tenant, string sql, Guid? id = null)
    {
        await using var session = await fixture.BeginTenantAsync(tenant.OrgId);
        await using var command = session.CreateCommand(sql);
        if (id is not null)
        {
            command.Parameters.AddWithValue("id", id.Value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

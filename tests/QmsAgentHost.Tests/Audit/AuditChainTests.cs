using System.Text.Json;
using Npgsql;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;
using static QmsAgentHost.Tests.Audit.HelloCalls;

namespace QmsAgentHost.Tests.Audit;

public sealed class AuditChainTests(AuditHostFixture fixture) : IClassFixture<AuditHostFixture>
{
    [Fact]
    public async Task Untouched_chain_verifies_and_reports_its_head()
    {
        var tenant = await fixture.NewTenantAsync("chain-ok");
        await SignGuestBookAsync(tenant.ClientFor(Roles.Analyst), "Maria", "hello");
        var admin = tenant.ClientFor(Roles.Admin);

        var verification = await GetJsonAsync(admin, "/api/audit/verify");
        var newest = (await GetJsonAsync(admin, "/api/audit?pageSize=1")).GetProperty("items")[0];

        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, verification.GetProperty("firstBroken").ValueKind);
        Assert.Equal(newest.GetProperty("seq").GetInt64(), verification.GetProperty("headSeq").GetInt64());
        Assert.Equal(newest.GetProperty("hash").GetString(), verification.GetProperty("headHash").GetString());
        Assert.Equal(verification.GetProperty("headSeq").GetInt64(), verification.GetProperty("eventsChecked").GetInt64());
    }

    [Fact]
    public async Task Changed_event_is_reported_as_a_hash_mismatch()
    {
        var (tenant, seqs) = await TenantWithEntriesAsync("chain-update", 3);
        var victim = seqs[1];

        await TamperAsync("UPDATE core.audit_events SET after = jsonb_set(after, '{message}', '\"forged\"') WHERE org_id = @org AND seq = @seq",
            tenant.OrgId, victim);

        await AssertBrokenAsync(tenant, victim, "hash mismatch");
    }

    [Fact]
    public async Task Deleted_event_is_reported_as_missing()
    {
        var (tenant, seqs) = await TenantWithEntriesAsync("chain-delete", 3);
        var victim = seqs[1];

        await TamperAsync("DELETE FROM core.audit_events WHERE org_id = @org AND seq = @seq", tenant.OrgId, victim);

        await AssertBrokenAsync(tenant, victim, $"missing events {victim}..{victim}");
    }

    [Fact]
    public async Task Rewritten_event_with_a_recomputed_hash_breaks_the_next_link()
    {
        var (tenant, seqs) = await TenantWithEntriesAsync("chain-rehash", 3);
        var victim = seqs[1];

        await TamperAsync("""
            UPDATE core.audit_events SET after = jsonb_set(after, '{message}', '"forged"') WHERE org_id = @org AND seq = @seq;
            UPDATE core.audit_events e SET hash = core.audit_event_digest(e) WHERE org_id = @org AND seq = @seq;
            """, tenant.OrgId, victim);

        await AssertBrokenAsync(tenant, victim + 1, "broken link");
    }

    [Fact]
    public async Task Application_role_may_not_update_or_delete_events()
    {
        var tenant = await fixture.NewTenantAsync("chain-app");
        await using var session = await fixture.BeginTenantAsync(tenant.OrgId);

        foreach (var sql in new[]
        {
            "UPDATE core.audit_events SET reason = 'edited' WHERE seq = 1",
            "DELETE FROM core.audit_events WHERE seq = 1",
            "TRUNCATE core.audit_events",
        })
        {
            await session.Transaction.SaveAsync("attempt");
            await using var command = session.CreateCommand(sql);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            Assert.Contains("permission denied", error.MessageText);
            await session.Transaction.RollbackAsync("attempt");
        }
    }

    [Theory]
    [InlineData("UPDATE core.audit_events SET reason = 'edited' WHERE seq = 1", "UPDATE")]
    [InlineData("DELETE FROM core.audit_events WHERE seq = 1", "DELETE")]
    [InlineData("TRUNCATE core.audit_events", "TRUNCATE")]
    public async Task Owner_and_superuser_changes_are_rejected_by_the_trigger(string sql, string operation)
    {
        var tenant = await fixture.NewTenantAsync("chain-owner");

        foreach (var connectionString in new[] { fixture.Database.AdminConnectionString, fixture.Database.SuperuserConnectionString })
        {
            Assert.False(string.IsNullOrEmpty(connectionString));
            await using var connection = await TestDatabase.OpenAsync(connectionString);
            await using var transaction = await connection.BeginTransactionAsync();
            // Row-level security is forced on the owner too, so it must name the tenant to reach any row.
            await fixture.Database.BindTenantAsync(connection, transaction, tenant.OrgId);
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            Assert.Equal($"core.audit_events is append-only: {operation} is not allowed", error.MessageText);
        }
    }

    [Fact]
    public async Task Concurrent_appends_leave_a_contiguous_valid_chain()
    {
        var tenant = await fixture.NewTenantAsync("chain-race");
        var analyst = tenant.ClientFor(Roles.Analyst);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => SignGuestBookAsync(analyst, $"Guest {i}", "at the same time")));

        var admin = tenant.ClientFor(Roles.Admin);
        var verification = await GetJsonAsync(admin, "/api/audit/verify");
        Assert.True(verification.GetProperty("valid").GetBoolean(), verification.ToString());
        var all = await GetJsonAsync(admin, "/api/audit?order=asc&pageSize=200");
        var events = all.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal(20, events.Count(e => e.GetProperty("action").GetString() == "hello.guest-book-signed"));
        for (var i = 1; i < events.Count; i++)
        {
            Assert.Equal(events[i - 1].GetProperty("hash").GetString(), events[i].GetProperty("prevHash").GetString());
        }
    }

    private async Task<(TestTenant Tenant, List<long> Seqs)> TenantWithEntriesAsync(string prefix, int count)
    {
        var tenant = await fixture.NewTenantAsync(prefix);
        var analyst = tenant.ClientFor(Roles.Analyst);
        for (var i = 0; i < count; i++)
        {
            await SignGuestBookAsync(analyst, $"Guest {i}", $"message {i}");
        }
        var page = await GetJsonAsync(tenant.ClientFor(Roles.Manager), "/api/audit?action=hello.guest-book-signed&order=asc");
        var seqs = page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.True((await GetJsonAsync(tenant.ClientFor(Roles.Admin), "/api/audit/verify")).GetProperty("valid").GetBoolean());
        return (tenant, seqs);
    }

    // Behind the application's back: a superuser switches off the append-only triggers for its own transaction.
    private async Task TamperAsync(string sql, Guid orgId, long seq)
    {
        await using var connection = await fixture.OpenSuperuserAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.AddWithValue("org", orgId);
            command.Parameters.AddWithValue("seq", seq);
            Assert.True(await command.ExecuteNonQueryAsync() >= 1);
        }
        await transaction.CommitAsync();
    }

    private async Task AssertBrokenAsync(TestTenant tenant, long seq, string reason)
    {
        var verification = await GetJsonAsync(tenant.ClientFor(Roles.Admin), "/api/audit/verify");

        Assert.False(verification.GetProperty("valid").GetBoolean());
        var broken = verification.GetProperty("firstBroken");
        Assert.Equal(seq, broken.GetProperty("seq").GetInt64());
        Assert.Equal(reason, broken.GetProperty("reason").GetString());

        // Another tenant's chain is not affected.
        var other = await fixture.NewTenantAsync("chain-other");
        Assert.True((await GetJsonAsync(other.ClientFor(Roles.Admin), "/api/audit/verify")).GetProperty("valid").GetBoolean());
    }
}

using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using QmsAgentHost.Audit;
using QmsAgentHost.Cli;
using QmsAgentHost.Data;
using QmsAgentHost.Identity;
using QmsAgentHost.Tests.Infrastructure;
using static QmsAgentHost.Tests.Audit.HelloCalls;

namespace QmsAgentHost.Tests.Audit;

public sealed class AuditVerifyVerbTests(AuditHostFixture fixture) : IClassFixture<AuditHostFixture>, IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }

    private Task<int> RunAsync(params string[] args) =>
        new AuditCliVerb(fixture.Factory.Services.GetRequiredService<QmsDataSources>(), new AuditChainVerifier()) { Output = _output, Error = _error }
            .RunAsync(args, CancellationToken.None);

    [Fact]
    public void The_host_offers_the_audit_verb()
    {
        Assert.Contains(fixture.Factory.Services.GetServices<ICliVerb>(), v => v.Name == "audit" && v is AuditCliVerb);
    }

    [Fact]
    public async Task Intact_chain_exits_0_with_a_summary_by_slug_or_uuid()
    {
        var tenant = await fixture.NewTenantAsync("verb-ok");
        await SignGuestBookAsync(tenant.ClientFor(Roles.Analyst), "Maria", "hello");
        var head = (await GetJsonAsync(tenant.ClientFor(Roles.Admin), "/api/audit/verify"));

        Assert.Equal(0, await RunAsync("verify", "--org", tenant.Slug));
        Assert.Equal(0, await RunAsync("verify", $"--org={tenant.OrgId}"));

        var output = _output.ToString();
        Assert.Contains($"Audit trail of {tenant.Slug} ({tenant.OrgId}): {head.GetProperty("eventsChecked").GetInt64()} event(s) checked.", output);
        Assert.Contains($"Head: #{head.GetProperty("headSeq").GetInt64()} {head.GetProperty("headHash").GetString()}", output);
        Assert.Contains("Chain intact.", output);
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public async Task Broken_chain_exits_1_and_names_the_first_broken_event()
    {
        var tenant = await fixture.NewTenantAsync("verb-broken");
        var entry = await SignGuestBookAsync(tenant.ClientFor(Roles.Analyst), "Maria", "hello");
        var seq = (await GetJsonAsync(tenant.ClientFor(Roles.Manager), $"/api/audit?entityId={entry.GetProperty("id").GetString()}"))
            .GetProperty("items")[0].GetProperty("seq").GetInt64();
        await using (var connection = await fixture.OpenSuperuserAsync())
        await using (var command = new NpgsqlCommand("""
            SET session_replication_role = replica;
            UPDATE core.audit_events SET actor_name = 'Somebody else' WHERE org_id = @org AND seq = @seq;
            RESET session_replication_role;
            """, connection))
        {
            command.Parameters.AddWithValue("org", tenant.OrgId);
            command.Parameters.AddWithValue("seq", seq);
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, await RunAsync("verify", "--org", tenant.Slug));

        Assert.Contains($"BROKEN at event #{seq}: hash mismatch.", _output.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("verify")]
    [InlineData("verify --org")]
    [InlineData("verify --org=")]
    [InlineData("verify --tenant acme")]
    [InlineData("verify --org acme --org other")]
    [InlineData("rewrite --org acme")]
    public async Task Usage_errors_exit_2_with_the_usage(string commandLine)
    {
        Assert.Equal(2, await RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)));

        Assert.Contains("Usage: audit verify --org <slug-or-uuid>", _error.ToString());
        Assert.Equal("", _output.ToString());
    }

    [Fact]
    public async Task Unknown_organization_exits_2()
    {
        Assert.Equal(2, await RunAsync("verify", "--org", "no-such-tenant"));
        Assert.Equal(2, await RunAsync("verify", "--org", Guid.NewGuid().ToString()));

        Assert.Contains("No organization with slug or id 'no-such-tenant'.", _error.ToString());
    }
}

using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using QmsAgentHost.Identity;
using QmsAgentHost.Sdk.Events;
using QmsAgentHost.Tenancy;
using QmsAgentHost.Tests.Audit;
using QmsAgentHost.Tests.Infrastructure;

namespace QmsAgentHost.Tests.Events;

/// <summary>Domain events land in the outbox exactly when the change they report commits.</summary>
public sealed class EventPublisherTests(AuditHostFixture fixture) : IClassFixture<AuditHostFixture>
{
    [Fact]
    public async Task Event_exists_only_when_its_transaction_commits()
    {
        var tenant = await fixture.NewTenantAsync("evt-tx");
        await using var scope = ScopeFor(tenant, Roles.Manager);
        var events = scope.ServiceProvider.GetRequiredService<IEventPublisher>();

        await using (var rolledBack = await fixture.BeginTenantAsync(tenant.OrgId))
        {
            await events.PublishAsync(rolledBack, "test.rolled-back", "T-1", new { n = 1 });
        }
        Guid committed;
        await using (var session = await fixture.BeginTenantAsync(tenant.OrgId))
        {
            committed = await events.PublishAsync(session, "test.committed", "T-2", new { n = 2, partNumber = "PN-1" });
            await session.CommitAsync();
        }

        await using var read = await fixture.BeginTenantAsync(tenant.OrgId);
        await using var command = read.CreateCommand("SELECT event_id, type, subject, payload->>'partNumber', source, actor_id FROM core.events");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(committed, reader.GetGuid(0));
        Assert.Equal("test.committed", reader.GetString(1));
        Assert.Equal("T-2", reader.GetString(2));
        Assert.Equal("PN-1", reader.GetString(3));
        Assert.Equal("host", reader.GetString(4));
        Assert.Equal(tenant.UserId(Roles.Manager), reader.GetGuid(5));
        Assert.False(await reader.ReadAsync());
    }

    [Theory]
    [InlineData("created")]
    [InlineData("NCM.Created")]
    [InlineData("ncm..created")]
    [InlineData("ncm.created;drop")]
    public async Task Malformed_event_types_are_refused(string type)
    {
        var tenant = await fixture.NewTenantAsync("evt-type");
        await using var scope = ScopeFor(tenant, Roles.Manager);
        var events = scope.ServiceProvider.GetRequiredService<IEventPublisher>();
        await using var session = await fixture.BeginTenantAsync(tenant.OrgId);

        await Assert.ThrowsAsync<ArgumentException>(() => events.PublishAsync(session, type, null, new { }));
    }

    [Fact]
    public async Task Application_role_cannot_rewrite_or_erase_events()
    {
        var tenant = await fixture.NewTenantAsync("evt-ro");
        await using var scope = ScopeFor(tenant, Roles.Manager);
        var events = scope.ServiceProvider.GetRequiredService<IEventPublisher>();
        await using (var session = await fixture.BeginTenantAsync(tenant.OrgId))
        {
            await events.PublishAsync(session, "test.kept", null, new { });
            await session.CommitAsync();
        }

        await using var tamper = await fixture.BeginTenantAsync(tenant.OrgId);
        var error = await Assert.ThrowsAsync<PostgresException>(() => tamper.CreateCommand("DELETE FROM core.events").ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    private AsyncServiceScope ScopeFor(TestTenant tenant, string role)
    {
        var scope = fixture.Factory.Services.CreateAsyncScope();
        var permissions = scope.ServiceProvider.GetRequiredService<PermissionResolver>().DefaultsFor(role);
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(new Caller(
            tenant.OrgId, tenant.UserId(role), null, $"{role} of {tenant.Slug}", role, permissions.ToFrozenSet(StringComparer.Ordinal), "test"));
        return scope;
    }
}

using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using QmsAgentHost.Identity;
using QmsAgentHost.Scheduling;
using QmsAgentHost.Tests.Api;
using QmsAgentHost.Tests.Infrastructure;
using Quartz;

namespace QmsAgentHost.Tests.Scheduling;

public sealed class PluginJobTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestDatabase Database => fixture.Database;

    private QmsHostFactory Factory => fixture.Factory;

    [Fact]
    public async Task A_plugin_job_is_stored_in_the_clustered_job_store_with_its_default_schedule()
    {
        _ = Factory.Server;
        await WaitForClusterCheckInAsync();

        await using var connection = await TestDatabase.OpenAsync(Database.AdminConnectionString);
        await using var command = new NpgsqlCommand("""
            SELECT c.cron_expression, t.trigger_state, (SELECT count(*) FROM quartz.qrtz_scheduler_state)
            FROM quartz.qrtz_cron_triggers c JOIN quartz.qrtz_triggers t USING (sched_name, trigger_name, trigger_group)
            WHERE t.job_name = 'hello.guest-book-digest'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the job has no trigger in quartz.qrtz_triggers");
        Assert.Equal("0 0 6 * * ?", reader.GetString(0));
        Assert.Equal("WAITING", reader.GetString(1));
        Assert.True(reader.GetInt64(2) >= 1, "no scheduler node checked in to the cluster");
    }

    [Fact]
    public async Task A_job_run_covers_every_tenant_each_seeing_only_its_own_data()
    {
        var a = await Factory.CreateTenantAsync("jobs-a");
        var b = await Factory.CreateTenantAsync("jobs-b");
        await SignAsync(a, 2);
        await SignAsync(b, 5);
        var runner = Factory.Services.GetRequiredService<PluginJobRunner>();

        var summary = await runner.RunForAllTenantsAsync("hello", "guest-book-digest", TimeProvider.System.GetUtcNow().AddMinutes(1), CancellationToken.None);

        Assert.Equal(0, summary.Failed);
        Assert.True(summary.Succeeded >= 2);
        Assert.Equal([2L], await DigestCountsAsync(a));
        Assert.Equal([5L], await DigestCountsAsync(b));
    }

    [Fact]
    public async Task Quartz_fires_the_job_on_request()
    {
        var tenant = await Factory.CreateTenantAsync("jobs-fire");
        var scheduler = await Factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        await scheduler.TriggerJob(PluginJobScheduler.KeyOf("hello", "guest-book-digest"), new JobDataMap(), CancellationToken.None);

        for (var i = 0; i < 100 && (await DigestCountsAsync(tenant)).Count == 0; i++)
        {
            await Task.Delay(200);
        }
        Assert.Equal([0L], await DigestCountsAsync(tenant));
    }

    private async Task WaitForClusterCheckInAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            await using var connection = await TestDatabase.OpenAsync(Database.AdminConnectionString);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM quartz.qrtz_scheduler_state", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            await Task.Delay(200);
        }
    }

    private static async Task SignAsync(TestTenant tenant, int count)
    {
        for (var i = 0; i < count; i++)
        {
            (await tenant.ClientFor(Roles.Analyst).PostAsJsonAsync("/api/plugins/hello/functions/sign_guest_book",
                new { name = $"guest {i}", message = "hi" })).EnsureSuccessStatusCode();
        }
    }

    private async Task<List<long>> DigestCountsAsync(TestTenant tenant)
    {
        await using var connection = await TestDatabase.OpenAsync(Database.AppConnectionString);
        await using var transaction = await connection.BeginTransactionAsync();
        await Database.BindTenantAsync(connection, transaction, tenant.OrgId);
        await using var command = new NpgsqlCommand(
            "SELECT (after->>'entries')::bigint FROM core.audit_events WHERE action = 'hello.daily-digest' AND actor_id IS NULL ORDER BY seq", connection, transaction);
        var counts = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts.Add(reader.GetInt64(0));
        }
        return counts;
    }
}

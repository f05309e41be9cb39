using Microsoft.Extensions.Options;
using QmsAgentHost.Data;
using QmsAgentHost.Plugins;
using Quartz;

namespace QmsAgentHost.Scheduling;

/// <summary>
/// Registers every loaded plugin job with Quartz under its default schedule. Jobs and triggers live in
/// the clustered PostgreSQL job store, so a schedule is stored once however many nodes start.
/// </summary>
internal sealed class PluginJobScheduler(PluginCatalog catalog, ISchedulerFactory schedulers, IOptions<SchedulingOptions> options) : IStartupTask
{
    public const string Group = "plugins";

    public int Order => 250;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var plugin in catalog.All.Where(p => p.Status == PluginStatus.Loaded && p.Runtime is not null))
        {
            foreach (var job in plugin.Runtime!.Jobs)
            {
                var key = KeyOf(plugin.Id, job.Name);
                var detail = JobBuilder.Create<PluginJobRunner>()
                    .WithIdentity(key)
                    .WithDescription(job.Description)
                    .UsingJobData(PluginJobRunner.PluginKey, plugin.Id)
                    .UsingJobData(PluginJobRunner.JobKey, job.Name)
                    .StoreDurably()
                    .RequestRecovery()
                    .Build();
                var trigger = TriggerBuilder.Create()
                    .WithIdentity(key.Name, Group)
                    .ForJob(key)
                    .WithCronSchedule(job.DefaultCron, cron => cron.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                    .Build();
                await scheduler.ScheduleJob(detail, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
            }
        }
    }

    public static JobKey KeyOf(string pluginId, string jobName) => new($"{pluginId}.{jobName}", Group);
}

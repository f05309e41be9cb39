namespace QmsAgentHost.Sdk.Jobs;

/// <summary>
/// A scheduled unit of work. The host runs it once per tenant that has the plugin enabled, with
/// the tenant context set to that tenant's system user. Make it idempotent: a run may be retried.
/// </summary>
public interface IPluginJob
{
    /// <summary>Runs the job for one tenant.</summary>
    Task ExecuteAsync(PluginJobContext context, CancellationToken cancellationToken);
}

/// <summary>When and why a job runs.</summary>
/// <param name="JobName">The name the plugin gave the job.</param>
/// <param name="ScheduledFor">The time the run was due.</param>
public sealed record PluginJobContext(string JobName, DateTimeOffset ScheduledFor);

/// <summary>A job declared by a plugin.</summary>
/// <param name="Name">Unique within the plugin.</param>
/// <param name="JobType">The <see cref="IPluginJob"/> implementation.</param>
/// <param name="DefaultCron">Quartz cron expression; a tenant admin may change it.</param>
/// <param name="Description">What the job does.</param>
public sealed record PluginJobDefinition(string Name, Type JobType, string DefaultCron, string Description);

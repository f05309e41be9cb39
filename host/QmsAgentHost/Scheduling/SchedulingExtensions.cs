using QmsAgentHost.Data;
using Quartz;

namespace QmsAgentHost.Scheduling;

public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>Run the scheduler on this node. Every node may; Quartz clustering fires each trigger once.</summary>
    public bool Enabled { get; set; } = true;
}

public static class SchedulingExtensions
{
    /// <summary>
    /// Quartz with the clustered AdoJobStore in PostgreSQL (schema <c>quartz</c>), reached as the
    /// owner role so plugin code, which runs as the application role, cannot touch the job store.
    /// </summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.SectionName);
        builder.Services.AddSingleton<IStartupTask, QuartzSchema>();
        builder.Services.AddSingleton<IStartupTask, PluginJobScheduler>();
        builder.Services.AddTransient<PluginJobRunner>();
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = "qms";
                scheduler.GenerateInstanceId = true;
            });
            quartz.UsePersistentStore(store =>
            {
                store.ConfigureStore(options =>
                {
                    options.TablePrefix = QuartzSchema.TablePrefix;
                    options.StoreJobDataAsStrings = true;
                });
                store.UseDataSource(source =>
                {
                    source.Provider = DataSourceOptions.Providers.Npgsql;
                    source.DataSourceFactory = sp => sp.GetRequiredService<QmsDataSources>().Admin;
                });
                store.UseClustering(cluster => cluster.CheckinInterval = TimeSpan.FromSeconds(15));
            });
        });
        if (builder.Configuration.GetValue(SchedulingOptions.SectionName + ":Enabled", true))
        {
            builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        }
        return builder;
    }
}

using Microsoft.Extensions.Options;
using QmsAgentHost.Data.Migrations;
using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Data;

public static class DataExtensions
{
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        // Read lazily, so configuration added after this call (tests, command line) still counts.
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ConnectionString = FirstNonEmpty(configuration.GetConnectionString("Qms"), options.ConnectionString);
                options.AdminConnectionString = FirstNonEmpty(configuration.GetConnectionString("QmsAdmin"), options.AdminConnectionString);
            });
        builder.Services.AddSingleton(sp => new QmsDataSources(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<StartupState>();
        builder.Services.AddSingleton<IStartupTask, CoreMigrations>();
        builder.Services.AddSingleton<IStartupTask, ApplicationRoleCheck>();
        builder.Services.AddHostedService<StartupRunner>();
        builder.Services.AddScoped<ITenantDatabase, TenantDatabase>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    private static string FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? "";
}

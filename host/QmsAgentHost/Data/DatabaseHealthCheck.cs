using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace QmsAgentHost.Data;

internal sealed class DatabaseHealthCheck(QmsDataSources dataSources, StartupState startup) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!startup.Completed)
        {
            return HealthCheckResult.Unhealthy("start-up (migrations, plugins) has not finished");
        }
        try
        {
            await using var command = dataSources.App.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", ex);
        }
    }
}

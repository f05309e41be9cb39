using Npgsql;
using QmsAgentHost.Data;

namespace QmsAgentHost.Tenancy;

/// <summary>
/// Listens on channel <c>qms_callers</c> (migration 0012) and drops the named organization's cached
/// callers. Reconnects after a failure; until it listens again the cache is bypassed.
/// </summary>
internal sealed class CallerChangeListener(QmsDataSources dataSources, CallerCache cache, StartupState startup, ILogger<CallerChangeListener> logger)
    : BackgroundService
{
    public const string Channel = "qms_callers";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The channel's trigger arrives with the migrations; listen once start-up is done.
                while (!startup.Completed)
                {
                    await Task.Delay(200, stoppingToken);
                }
                await using var connection = await dataSources.OpenListenerAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var orgId))
                    {
                        cache.Evict(orgId);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                cache.SetListening(true);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or DatabaseUnavailableException or System.IO.IOException or TimeoutException)
            {
                cache.SetListening(false);
                logger.LogWarning(ex, "Lost the caller-change listener; callers are read from the database until it is back");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            finally
            {
                cache.SetListening(false);
            }
        }
    }
}

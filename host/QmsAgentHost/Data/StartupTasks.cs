namespace QmsAgentHost.Data;

/// <summary>A step of start-up that must finish before the host serves (migrations, plugins, seed data).</summary>
internal interface IStartupTask
{
    /// <summary>Lower runs first: 100 core migrations, 200 plugins, 300 seed data.</summary>
    int Order { get; }

    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>Runs the start-up tasks in order before the web server starts listening.</summary>
internal sealed class StartupRunner(IEnumerable<IStartupTask> tasks, StartupState state, ILogger<StartupRunner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var task in tasks.OrderBy(t => t.Order))
        {
            logger.LogDebug("Start-up task {Task}", task.GetType().Name);
            await task.RunAsync(cancellationToken);
        }
        state.Completed = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class StartupState
{
    public bool Completed { get; set; }
}

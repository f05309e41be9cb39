using Microsoft.Extensions.Options;
using QmsAgentHost.Data.Migrations;

namespace QmsAgentHost.Data;

/// <summary>Applies the host's own <c>core</c> schema migrations.</summary>
internal sealed class CoreMigrations(MigrationRunner runner, IOptions<DatabaseOptions> options) : IStartupTask
{
    public static MigrationBatch Batch { get; } =
        new("core", MigrationScript.FromAssembly(typeof(CoreMigrations).Assembly, "core", ".Migrations.Core."));

    public int Order => 100;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await runner.ApplyAsync([Batch], cancellationToken);
        }
    }
}

using Microsoft.Extensions.Options;
using QmsAgentHost.Data;
using QmsAgentHost.Data.Migrations;

namespace QmsAgentHost.Scheduling;

/// <summary>
/// Quartz's PostgreSQL tables in schema <c>quartz</c>, from the script Quartz ships in its assembly,
/// applied by our migration runner (advisory lock, checksum) like every other schema. The script
/// only creates what is missing, so a Quartz upgrade adds a migration named after its version.
/// </summary>
internal sealed class QuartzSchema(MigrationRunner runner, IOptions<DatabaseOptions> options) : IStartupTask
{
    public const string Schema = "quartz";
    public const string TablePrefix = "quartz.qrtz_";

    public int Order => 110;

    public static MigrationBatch Batch { get; } = Build();

    public Task RunAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStart ? runner.ApplyAsync([Batch], cancellationToken) : Task.CompletedTask;

    private static MigrationBatch Build()
    {
        var assembly = typeof(Quartz.IJob).Assembly;
        using var stream = assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema.create_postgres.sql")
            ?? throw new InvalidOperationException("The Quartz assembly no longer ships its PostgreSQL schema script.");
        using var reader = new StreamReader(stream);
        var sql = reader.ReadToEnd()
            .Replace("{0}", TablePrefix, StringComparison.Ordinal)
            .Replace("{1}", "qrtz_", StringComparison.Ordinal)
            .Replace("--;;", "", StringComparison.Ordinal);
        var version = assembly.GetName().Version!;
        return new MigrationBatch(Schema, [new MigrationScript(Schema, $"0001_quartz_{version.Major}.{version.Minor}.{version.Build}.sql", sql)]);
    }
}

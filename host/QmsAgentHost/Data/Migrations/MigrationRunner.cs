using System.Text.RegularExpressions;
using Npgsql;

namespace QmsAgentHost.Data.Migrations;

/// <summary>
/// Applies migrations in order, each once, recorded with a checksum in <c>core.schema_migrations</c>.
/// The whole run holds a PostgreSQL advisory lock, so several nodes starting at once apply each
/// migration exactly once; the others wait and then find nothing to do.
/// </summary>
public sealed partial class MigrationRunner(QmsDataSources dataSources, ILogger<MigrationRunner> logger)
{
    /// <summary>The group role the application's login role belongs to; migrations grant table rights to it.</summary>
    public const string RuntimeRole = "qms_runtime";

    // Arbitrary but fixed: every node must use the same key.
    private const long AdvisoryLockKey = 0x514D_5341_4748; // "QMSAGH"

    private static readonly HashSet<string> ReservedSchemas = ["core", "public", "quartz", "information_schema"];

    /// <summary>Applies every batch in order under one lock. Returns the names of the migrations applied now.</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(IEnumerable<MigrationBatch> batches, CancellationToken cancellationToken)
    {
        await using var connection = await dataSources.Admin.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        try
        {
            await EnsureHistoryTableAsync(connection, cancellationToken);
            var applied = new List<string>();
            foreach (var batch in batches)
            {
                applied.AddRange(await ApplyBatchAsync(connection, batch, cancellationToken));
            }
            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    /// <summary>True when <paramref name="schema"/> may be owned by a plugin.</summary>
    public static bool IsValidPluginSchema(string schema) =>
        SchemaPattern().IsMatch(schema) && !ReservedSchemas.Contains(schema) && !schema.StartsWith("pg_", StringComparison.Ordinal);

    private async Task<IReadOnlyList<string>> ApplyBatchAsync(NpgsqlConnection connection, MigrationBatch batch, CancellationToken cancellationToken)
    {
        var history = await ReadHistoryAsync(connection, batch.Schema, cancellationToken);
        var appliedNow = new List<string>();
        foreach (var script in batch.Scripts)
        {
            if (history.TryGetValue(script.Name, out var recordedChecksum))
            {
                if (recordedChecksum != script.Checksum)
                {
                    throw new MigrationChecksumException(
                        $"Migration {batch.Schema}/{script.Name} was changed after it was applied (recorded checksum {recordedChecksum[..12]}…, now {script.Checksum[..12]}…). "
                        + "Applied migrations must never change: add a new migration instead.");
                }
                continue;
            }
            await ApplyScriptAsync(connection, batch, script, cancellationToken);
            appliedNow.Add($"{batch.Schema}/{script.Name}");
            logger.LogInformation("Applied migration {Schema}/{Name}", batch.Schema, script.Name);
        }
        return appliedNow;
    }

    private static async Task ApplyScriptAsync(NpgsqlConnection connection, MigrationBatch batch, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var schema = Quote(batch.Schema);
        // Schema names are validated against a strict pattern before they get here.
        await ExecuteAsync(connection,
            $"CREATE SCHEMA IF NOT EXISTS {schema}; SET LOCAL search_path = {schema}, core, public;", cancellationToken);
        try
        {
            await ExecuteAsync(connection, script.Sql, cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new InvalidOperationException($"Migration {batch.Schema}/{script.Name} failed: {ex.MessageText}", ex);
        }
        await ExecuteAsync(connection,
            $"""
            GRANT USAGE ON SCHEMA {schema} TO {RuntimeRole};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {RuntimeRole};
            INSERT INTO core.schema_migrations (schema_name, name, checksum) VALUES (@schema, @name, @checksum);
            """,
            cancellationToken, ("schema", batch.Schema), ("name", script.Name), ("checksum", script.Checksum));
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task EnsureHistoryTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, """
            CREATE SCHEMA IF NOT EXISTS core;
            CREATE TABLE IF NOT EXISTS core.schema_migrations (
                schema_name text NOT NULL,
                name        text NOT NULL,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (schema_name, name)
            );
            """, cancellationToken);

    private static async Task<Dictionary<string, string>> ReadHistoryAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT name, checksum FROM core.schema_migrations WHERE schema_name = @schema", connection);
        command.Parameters.AddWithValue("schema", schema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var history = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            history[reader.GetString(0)] = reader.GetString(1);
        }
        return history;
    }

    /// <summary>Tables of <paramref name="schema"/> that are not protected by forced row-level security with a policy.</summary>
    public async Task<IReadOnlyList<string>> FindUnprotectedTablesAsync(string schema, CancellationToken cancellationToken)
    {
        await using var connection = await dataSources.Admin.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @schema AND c.relkind IN ('r', 'p')
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity
                       AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
            ORDER BY c.relname
            """, connection);
        command.Parameters.AddWithValue("schema", schema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add($"{schema}.{reader.GetString(0)}");
        }
        return tables;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaPattern();
}

/// <summary>The migrations of one schema, in order.</summary>
public sealed record MigrationBatch(string Schema, IReadOnlyList<MigrationScript> Scripts);

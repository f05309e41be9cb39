using Npgsql;

namespace QmsAgentHost.Sdk.Testing;

/// <summary>
/// A fresh database for one <see cref="PluginTestHost"/>, created by the owner role (which needs
/// CREATEDB) from the server's template, so it has what the template has (vector, pgcrypto when
/// provisioned as in docs/operations.md), and dropped afterwards.
/// </summary>
internal sealed class ScratchDatabase
{
    private readonly string _maintenanceConnectionString;

    private ScratchDatabase(string name, string adminConnectionString, string appConnectionString)
    {
        Name = name;
        // Create and drop without pooling: a pooled idle connection would outlive the test run.
        _maintenanceConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString;
        AdminConnectionString = WithDatabase(adminConnectionString, name);
        AppConnectionString = WithDatabase(appConnectionString, name);
    }

    public string Name { get; }

    /// <summary>As the owner role: migrations.</summary>
    public string AdminConnectionString { get; }

    /// <summary>As the application role: everything a request does.</summary>
    public string AppConnectionString { get; }

    public static async Task<ScratchDatabase> CreateAsync(
        string adminConnectionString, string appConnectionString, CancellationToken cancellationToken, string namePrefix = "qms_kit_")
    {
        var database = new ScratchDatabase(namePrefix + Guid.NewGuid().ToString("N")[..16], adminConnectionString, appConnectionString);
        await database.ExecuteAsync($"CREATE DATABASE {database.Name}", cancellationToken);
        return database;
    }

    /// <summary>
    /// Drops the database. WITH (FORCE) ends its remaining sessions, but the owner may not end another
    /// role's: an application-role backend whose pool was just closed can still be exiting, so a refusal
    /// is retried for up to two seconds before it surfaces.
    /// </summary>
    public async Task DropAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", CancellationToken.None);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    // The name is made above from a fixed prefix and hex digits, never from input, so it can stand in the SQL.
    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_maintenanceConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
}

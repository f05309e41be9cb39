using Npgsql;

namespace QmsAgentHost.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database (with pgvector) for one test class, created by the migration owner
/// role and dropped afterwards. The server comes from scripts/test.sh (QMS_DB, QMS_DB_ADMIN); tests
/// fail loudly without it rather than fall back to anything in memory.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public string Name { get; } = "qms_test_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>As the application role (owns nothing, subject to row-level security).</summary>
    public string AppConnectionString { get; private set; } = "";

    /// <summary>As the owner role that runs migrations.</summary>
    public string AdminConnectionString { get; private set; } = "";

    /// <summary>As a superuser, for tests that must tamper with data behind the application's back.</summary>
    public string SuperuserConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var app = Required("QMS_DB");
        var admin = Environment.GetEnvironmentVariable("QMS_DB_ADMIN") is { Length: > 0 } a ? a : app;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {Name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        AppConnectionString = WithDatabase(app);
        AdminConnectionString = WithDatabase(admin);
        SuperuserConnectionString = Environment.GetEnvironmentVariable("QMS_DB_SUPERUSER") is { Length: > 0 } s ? WithDatabase(s) : "";
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var admin = Environment.GetEnvironmentVariable("QMS_DB_ADMIN") ?? Required("QMS_DB");
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    private string WithDatabase(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = Name, Pooling = true }.ConnectionString;

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set. Run the tests with scripts/test.sh, which starts PostgreSQL with pgvector and sets it.");
}

using Npgsql;
using QmsAgentHost.Sdk.Testing;

namespace QmsAgentHost.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database (with pgvector) for one test class, created by the migration owner
/// role and dropped afterwards. The server comes from scripts/test.sh (QMS_DB, QMS_DB_ADMIN); tests
/// fail loudly without it rather than fall back to anything in memory.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private ScratchDatabase? _database;

    public string Name => Database.Name;

    /// <summary>As the application role (owns nothing, subject to row-level security).</summary>
    public string AppConnectionString => Database.AppConnectionString;

    /// <summary>As the owner role that runs migrations.</summary>
    public string AdminConnectionString => Database.AdminConnectionString;

    /// <summary>As a superuser, for tests that must tamper with data behind the application's back.</summary>
    public string SuperuserConnectionString { get; private set; } = "";

    private ScratchDatabase Database => _database ?? throw new InvalidOperationException("The test database is not created yet.");

    public async Task InitializeAsync()
    {
        var app = Required("QMS_DB");
        var admin = Environment.GetEnvironmentVariable("QMS_DB_ADMIN") is { Length: > 0 } a ? a : app;
        _database = await ScratchDatabase.CreateAsync(admin, app, CancellationToken.None, namePrefix: "qms_test_");
        SuperuserConnectionString = Environment.GetEnvironmentVariable("QMS_DB_SUPERUSER") is { Length: > 0 } s ? WithDatabase(s) : "";
    }

    public async Task DisposeAsync()
    {
        // Tests open pooled connections of their own (TestDatabase.OpenAsync); close them first.
        NpgsqlConnection.ClearAllPools();
        await Database.DropAsync();
    }

    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// Binds <paramref name="transaction"/> to <paramref name="orgId"/> the way the host does
    /// (core.bind_tenant with the binding secret, which only the owner role can read; ADR 0010).
    /// </summary>
    public async Task BindTenantAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId)
    {
        string secret;
        await using (var owner = await OpenAsync(AdminConnectionString))
        await using (var read = new NpgsqlCommand("SELECT secret FROM core.binding_secret", owner))
        {
            secret = (string)(await read.ExecuteScalarAsync())!;
        }
        await using var bind = new NpgsqlCommand("SELECT core.bind_tenant(@secret, @org, NULL)", connection, transaction);
        bind.Parameters.AddWithValue("secret", secret);
        bind.Parameters.AddWithValue("org", orgId);
        await bind.ExecuteNonQueryAsync();
    }

    private string WithDatabase(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = Name, Pooling = true }.ConnectionString;

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set. Run the tests with scripts/test.sh, which starts PostgreSQL with pgvector and sets it.");
}

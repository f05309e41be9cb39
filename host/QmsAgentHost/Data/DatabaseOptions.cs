namespace QmsAgentHost.Data;

/// <summary>Where the database is and how the host uses it.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>The application role's connection string (<c>ConnectionStrings:Qms</c>, env <c>QMS_DB</c>).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The migration owner's connection string (<c>ConnectionStrings:QmsAdmin</c>, env <c>QMS_DB_ADMIN</c>).
    /// Falls back to the application connection string.
    /// </summary>
    public string AdminConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the host starts (safe across nodes: advisory lock).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// The most connections this node's application pool opens. Lowered at first use to this node's
    /// share of the server's <c>max_connections</c> (see <see cref="PoolSizing"/>).
    /// </summary>
    public int MaxPoolSize { get; set; } = 100;

    /// <summary>The owner role's pool: migrations, the scheduler's job store, the cache listener.</summary>
    public int AdminPoolSize { get; set; } = 10;

    /// <summary>How many host nodes share the PostgreSQL server; each takes an equal share of its connections.</summary>
    public int Nodes { get; set; } = 1;

    /// <summary>The longest a request waits for a pooled connection (or a new one) before it is answered 503.</summary>
    public int ConnectionWaitSeconds { get; set; } = 5;

    /// <summary>The longest one statement of the application role may run (server-side <c>statement_timeout</c>); 0 for none.</summary>
    public int StatementTimeoutSeconds { get; set; } = 30;
}

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
}

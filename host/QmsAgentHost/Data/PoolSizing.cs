namespace QmsAgentHost.Data;

/// <summary>
/// How many connections a node may open, from what the server allows. The rule (docs/operations.md):
/// of <c>max_connections</c> less the slots reserved for superusers, 80% is shared equally by the
/// <c>Database:Nodes</c> nodes (the other 20% stays free for psql, backups, replication and
/// monitoring). A node's share holds its owner pool and its application pool; the application pool
/// is <c>Database:MaxPoolSize</c> or what remains of the share, whichever is smaller, and at least 2.
/// </summary>
public static class PoolSizing
{
    public const double ShareOfServer = 0.8;

    public sealed record Sizes(int AppPool, int AdminPool, int NodeBudget, string Reason);

    public static Sizes Decide(DatabaseOptions options, int serverMaxConnections, int reservedConnections)
    {
        var nodes = Math.Max(1, options.Nodes);
        var usable = Math.Max(0, serverMaxConnections - reservedConnections);
        var budget = Math.Max(4, (int)Math.Floor(usable * ShareOfServer / nodes));
        var admin = Math.Clamp(options.AdminPoolSize, 2, Math.Max(2, budget / 4));
        var app = Math.Max(2, Math.Min(options.MaxPoolSize, budget - admin));
        var reason = $"server max_connections {serverMaxConnections}, {reservedConnections} reserved, {nodes} node(s): "
            + $"this node may open {budget} ({app} application, {admin} owner)";
        return new Sizes(app, admin, budget, reason);
    }

    /// <summary>The configured sizes, unchecked: used when the server could not be asked.</summary>
    public static Sizes Unchecked(DatabaseOptions options) =>
        new(Math.Max(2, options.MaxPoolSize), Math.Max(2, options.AdminPoolSize), 0, "the server's max_connections could not be read");
}

using Npgsql;

namespace QmsAgentHost.Data;

/// <summary>
/// Refuses to start when the application role could bypass row-level security: a superuser, a role
/// with BYPASSRLS, or one that owns tables. Tenant isolation depends on it.
/// </summary>
internal sealed class ApplicationRoleCheck(QmsDataSources dataSources) : IStartupTask
{
    public int Order => 150;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSources.App.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT r.rolname, r.rolsuper, r.rolbypassrls,
                   (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')),
                   pg_has_role(r.oid, 'qms_runtime', 'MEMBER')
            FROM pg_roles r WHERE r.rolname = current_user
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (role, super, bypass, owned, member) = (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetInt64(3), reader.GetBoolean(4));
        var problems = new List<string>();
        if (super)
        {
            problems.Add("is a superuser");
        }
        if (bypass)
        {
            problems.Add("has BYPASSRLS");
        }
        if (owned > 0)
        {
            problems.Add($"owns {owned} table(s)");
        }
        if (!member)
        {
            problems.Add("is not a member of qms_runtime");
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The application database role '{role}' {string.Join(", ", problems)}; tenant isolation by row-level security cannot be guaranteed. "
                + "Connect the application (ConnectionStrings:Qms / QMS_DB) as a role that owns no tables and belongs to qms_runtime; see docs/operations.md.");
        }
    }
}

using Npgsql;
using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Data;

/// <summary>
/// The two ways the host reaches PostgreSQL: as the application role (owns no table, subject to
/// row-level security; every request goes this way) and as the owner role (runs migrations).
/// </summary>
public sealed class QmsDataSources : IAsyncDisposable
{
    public QmsDataSources(DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException(
                "No database configured. Set ConnectionStrings:Qms (or env QMS_DB), or start the host with scripts/run.sh, which provides a private PostgreSQL.");
        }
        App = Build(options.ConnectionString, "qms-app");
        Admin = Build(string.IsNullOrWhiteSpace(options.AdminConnectionString) ? options.ConnectionString : options.AdminConnectionString, "qms-admin");
    }

    /// <summary>The application role: every tenant's work goes through it.</summary>
    public NpgsqlDataSource App { get; }

    /// <summary>The owner role: migrations and start-up checks only.</summary>
    public NpgsqlDataSource Admin { get; }

    /// <summary>
    /// Opens a transaction as the application role bound to <paramref name="orgId"/>: row-level
    /// security then limits every statement to that tenant. The setting ends with the transaction,
    /// so a pooled connection never carries a tenant into the next use.
    /// </summary>
    public async Task<TenantSession> BeginTenantAsync(Guid orgId, Guid? userId, CancellationToken cancellationToken)
    {
        var connection = await App.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(
                "SELECT set_config('app.org_id', @org, true), set_config('app.user_id', @user, true)", connection, transaction))
            {
                command.Parameters.AddWithValue("org", orgId.ToString());
                command.Parameters.AddWithValue("user", userId?.ToString() ?? "");
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return new TenantSession(connection, transaction, orgId);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The organization a login belongs to, or null. Sign-in starts before a tenant is set, so this
    /// asks the owner-only login directory through its SECURITY DEFINER function (ADR 2).
    /// </summary>
    public Task<Guid?> ResolveLoginAsync(string login, CancellationToken cancellationToken) =>
        ResolveAsync("SELECT core.resolve_login(@key)", login, cancellationToken);

    /// <summary>The organization an API key belongs to, or null; like <see cref="ResolveLoginAsync"/>.</summary>
    public Task<Guid?> ResolveApiKeyAsync(Guid keyId, CancellationToken cancellationToken) =>
        ResolveAsync("SELECT core.resolve_api_key(@key)", keyId, cancellationToken);

    /// <summary>
    /// Every tenant's id, for work that spans tenants (scheduled jobs, seeding). Only the owner role may
    /// list them (ADR 2); each tenant's work then runs in a session bound to that tenant.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ListTenantIdsAsync(CancellationToken cancellationToken)
    {
        await using var command = Admin.CreateCommand("SELECT org_id FROM core.list_org_ids() AS tenants (org_id)");
        var tenants = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(reader.GetGuid(0));
        }
        return tenants;
    }

    private async Task<Guid?> ResolveAsync(string sql, object key, CancellationToken cancellationToken)
    {
        await using var command = App.CreateCommand(sql);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    private static NpgsqlDataSource Build(string connectionString, string applicationName)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(csb.ApplicationName))
        {
            csb.ApplicationName = applicationName;
        }
        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        builder.UseVector();
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Admin.DisposeAsync();
    }
}

using Npgsql;
using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Data;

/// <summary>
/// The two ways the host reaches PostgreSQL: as the application role (owns no table, subject to
/// row-level security; every request goes this way) and as the owner role (migrations, the tenant
/// directory, the scheduler). Pools are sized at first use from the server's own limit
/// (<see cref="PoolSizing"/>), and a request waits a bounded time for a connection.
/// </summary>
public sealed class QmsDataSources : IAsyncDisposable
{
    private readonly DatabaseOptions _options;
    private readonly Lock _buildLock = new();
    private readonly SemaphoreSlim _secretLock = new(1, 1);
    private NpgsqlDataSource? _app;
    private NpgsqlDataSource? _admin;
    private string? _bindingSecret;

    public QmsDataSources(DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException(
                "No database configured. Set ConnectionStrings:Qms (or env QMS_DB), or start the host with scripts/run.sh, which provides a private PostgreSQL.");
        }
        _options = options;
    }

    /// <summary>The application role: every tenant's work goes through it.</summary>
    public NpgsqlDataSource App => _app ?? Build().App;

    /// <summary>The owner role: migrations, start-up checks, the tenant directory and the job store.</summary>
    public NpgsqlDataSource Admin => _admin ?? Build().Admin;

    /// <summary>How the pools were sized, and why (read by the operations docs and the health report).</summary>
    public PoolSizing.Sizes? Sizes { get; private set; }

    private string AdminConnectionString =>
        string.IsNullOrWhiteSpace(_options.AdminConnectionString) ? _options.ConnectionString : _options.AdminConnectionString;

    /// <summary>
    /// Opens a transaction as the application role bound to <paramref name="orgId"/>: row-level
    /// security then limits every statement to that tenant. The binding is made by
    /// <c>core.bind_tenant</c> with the binding secret, which SQL on the application role can never
    /// read, and ends with the transaction (ADR 0010).
    /// </summary>
    public Task<TenantSession> BeginTenantAsync(Guid orgId, Guid? userId, CancellationToken cancellationToken) =>
        BeginBoundAsync(App, orgId, userId, cancellationToken);

    /// <summary>
    /// Like <see cref="BeginTenantAsync"/>, but as the owner role: for tenant administration that
    /// writes the owner-only tenant directory and the tenant's audit trail in one transaction.
    /// </summary>
    internal Task<TenantSession> BeginOwnerTenantAsync(Guid orgId, CancellationToken cancellationToken) =>
        BeginBoundAsync(Admin, orgId, null, cancellationToken);

    private async Task<TenantSession> BeginBoundAsync(NpgsqlDataSource source, Guid orgId, Guid? userId, CancellationToken cancellationToken)
    {
        var secret = await BindingSecretAsync(cancellationToken);
        var connection = await OpenAsync(source, cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand("SELECT core.bind_tenant(@secret, @org, @user)", connection, transaction))
            {
                command.Parameters.AddWithValue("secret", secret);
                command.Parameters.AddWithValue("org", orgId);
                command.Parameters.AddWithValue("user", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)userId ?? DBNull.Value);
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

    /// <summary>Opens a pooled connection; a refusal, a down server or an exhausted pool become <see cref="DatabaseUnavailableException"/>.</summary>
    internal static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        try
        {
            return await source.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && DatabaseFailures.IsUnavailable(ex))
        {
            throw new DatabaseUnavailableException("PostgreSQL did not give a connection in time: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// The organization with <paramref name="slug"/>, or null when there is none or it is disabled.
    /// Sign-in starts before a tenant is bound, so this asks the owner-only tenant directory through
    /// its SECURITY DEFINER function (ADR 2).
    /// </summary>
    public Task<Guid?> ResolveOrganizationAsync(string slug, CancellationToken cancellationToken) =>
        ResolveAsync("SELECT core.resolve_org(@key)", slug.Trim().ToLowerInvariant(), cancellationToken);

    /// <summary>The organization an API key belongs to, or null (also when the organization is disabled).</summary>
    public Task<Guid?> ResolveApiKeyAsync(Guid keyId, CancellationToken cancellationToken) =>
        ResolveAsync("SELECT core.resolve_api_key(@key)", keyId, cancellationToken);

    /// <summary>A connection of its own (not pooled, with keep-alive) for LISTEN, as the owner role.</summary>
    internal async Task<NpgsqlConnection> OpenListenerAsync(CancellationToken cancellationToken)
    {
        var csb = new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            Timeout = Math.Max(1, _options.ConnectionWaitSeconds),
            ApplicationName = "qms-listener",
        };
        var connection = new NpgsqlConnection(csb.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

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
        await using var connection = await OpenAsync(App, cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    // Read once per process through the owner connection; the application role has no access to it.
    private async Task<string> BindingSecretAsync(CancellationToken cancellationToken)
    {
        if (_bindingSecret is { } known)
        {
            return known;
        }
        await _secretLock.WaitAsync(cancellationToken);
        try
        {
            if (_bindingSecret is null)
            {
                await using var connection = await OpenAsync(Admin, cancellationToken);
                await using var command = new NpgsqlCommand("SELECT secret FROM core.binding_secret", connection);
                try
                {
                    _bindingSecret = await command.ExecuteScalarAsync(cancellationToken) as string
                        ?? throw new InvalidOperationException("core.binding_secret is empty; run the migrations (the `migrate` verb).");
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    throw new InvalidOperationException(
                        "The tenant binding secret cannot be read: ConnectionStrings:QmsAdmin (env QMS_DB_ADMIN) must connect as the owner role "
                        + "that runs the migrations, not as the application role. See docs/operations.md.", ex);
                }
            }
            return _bindingSecret;
        }
        finally
        {
            _secretLock.Release();
        }
    }

    private (NpgsqlDataSource App, NpgsqlDataSource Admin) Build()
    {
        lock (_buildLock)
        {
            if (_app is null || _admin is null)
            {
                var sizes = ReadServerLimit() is { } limit ? PoolSizing.Decide(_options, limit.Max, limit.Reserved) : PoolSizing.Unchecked(_options);
                _admin = BuildSource(AdminConnectionString, "qms-admin", sizes.AdminPool, statementTimeout: 0);
                _app = BuildSource(_options.ConnectionString, "qms-app", sizes.AppPool, _options.StatementTimeoutSeconds);
                Sizes = sizes;
            }
            return (_app, _admin);
        }
    }

    // Asked once, synchronously, on first use: a data source has to exist before anything can be awaited on it.
    private (int Max, int Reserved)? ReadServerLimit()
    {
        try
        {
            var csb = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false, Timeout = Math.Max(1, _options.ConnectionWaitSeconds) };
            using var connection = new NpgsqlConnection(csb.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("""
                SELECT current_setting('max_connections')::int,
                       current_setting('superuser_reserved_connections')::int
                       + coalesce(current_setting('reserved_connections', true)::int, 0)
                """, connection);
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt32(0), reader.GetInt32(1));
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }

    private NpgsqlDataSource BuildSource(string connectionString, string applicationName, int maxPoolSize, int statementTimeout)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(csb.ApplicationName))
        {
            csb.ApplicationName = applicationName;
        }
        csb.MaxPoolSize = Math.Min(csb.MaxPoolSize, maxPoolSize);
        csb.MinPoolSize = Math.Min(csb.MinPoolSize, csb.MaxPoolSize);
        // Timeout bounds both opening a connection and waiting for a pooled one.
        csb.Timeout = Math.Max(1, _options.ConnectionWaitSeconds);
        if (statementTimeout > 0)
        {
            csb.Options = $"{csb.Options} -c statement_timeout={statementTimeout * 1000}".Trim();
            csb.CommandTimeout = statementTimeout + 5;
        }
        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        builder.UseVector();
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
        _secretLock.Dispose();
    }
}

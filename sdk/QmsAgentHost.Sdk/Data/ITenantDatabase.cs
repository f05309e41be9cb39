using Npgsql;

namespace QmsAgentHost.Sdk.Data;

/// <summary>
/// Opens database work scoped to the current tenant. Row-level security in PostgreSQL guarantees
/// that a session only sees and changes rows of <see cref="Tenancy.ITenantContext.OrgId"/>.
/// </summary>
public interface ITenantDatabase
{
    /// <summary>
    /// Opens a connection as the application role, begins a transaction and sets the tenant for it.
    /// Commit with <see cref="TenantSession.CommitAsync"/>; disposing without committing rolls back.
    /// </summary>
    Task<TenantSession> BeginAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// A connection and transaction bound to one tenant. Created by the host through
/// <see cref="ITenantDatabase.BeginAsync"/>; the tenant setting lives only as long as the transaction.
/// </summary>
public sealed class TenantSession : IAsyncDisposable
{
    private bool _completed;

    /// <summary>Created by the host; plugins use <see cref="ITenantDatabase.BeginAsync"/>.</summary>
    public TenantSession(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orgId)
    {
        Connection = connection;
        Transaction = transaction;
        OrgId = orgId;
    }

    /// <summary>The open connection.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The transaction every command must run in.</summary>
    public NpgsqlTransaction Transaction { get; }

    /// <summary>The tenant the session is bound to.</summary>
    public Guid OrgId { get; }

    /// <summary>Creates a command in this session's transaction. Always pass values as parameters.</summary>
    public NpgsqlCommand CreateCommand(string sql) => new(sql, Connection, Transaction);

    /// <summary>Commits the transaction.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await Transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
    }

    /// <summary>Rolls back unless committed, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_completed && Transaction.Connection is not null)
        {
            try
            {
                await Transaction.RollbackAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is already broken; closing it below releases the server side.
            }
        }
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}

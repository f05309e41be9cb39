using Npgsql;

namespace QmsAgentHost.Data;

/// <summary>
/// A PostgreSQL session-level advisory lock on a dedicated connection, released explicitly on
/// dispose. Returning a pooled connection does not release it: the server keeps session locks until
/// the connection is reset at its next use, which could be never, so every waiter would hang.
/// </summary>
internal sealed class SessionLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _key;

    private SessionLock(NpgsqlConnection connection, string key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>Waits for the lock named <paramref name="key"/> (hashed to a 64-bit lock id).</summary>
    public static async Task<SessionLock> AcquireAsync(NpgsqlDataSource dataSource, string key, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@key, 0))", connection) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new SessionLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", _connection);
            command.Parameters.AddWithValue("key", _key);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken connection: the server ends the session and its locks with it.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}

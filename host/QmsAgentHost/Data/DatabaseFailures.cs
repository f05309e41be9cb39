using Npgsql;

namespace QmsAgentHost.Data;

/// <summary>
/// PostgreSQL could not serve a request for a reason the caller cannot fix and that should pass: the
/// server is down or refuses connections, the pool had no connection within the wait, a statement
/// ran out of time. Answered 503 with Retry-After.
/// </summary>
public sealed class DatabaseUnavailableException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>Sorts database exceptions into "try again later" (503) and "the input is wrong" (4xx).</summary>
public static class DatabaseFailures
{
    /// <summary>True when <paramref name="exception"/> (or what it wraps) means the database is unavailable for now.</summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case DatabaseUnavailableException or TimeoutException:
                    return true;
                case PostgresException pg:
                    return IsUnavailableState(pg.SqlState);
                case NpgsqlException:
                    // Not an error the server raised: the socket, the pool or the connection timed out or broke.
                    return true;
            }
        }
        return false;
    }

    private static bool IsUnavailableState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) // connection exception
        || state.StartsWith("53", StringComparison.Ordinal) // insufficient resources, too many connections
        || state.StartsWith("57P", StringComparison.Ordinal) // shutting down, cannot connect now
        || state is PostgresErrorCodes.QueryCanceled // statement_timeout
            or PostgresErrorCodes.LockNotAvailable
            or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.InvalidCatalogName
            or PostgresErrorCodes.ObjectNotInPrerequisiteState; // "database is not accepting connections"

    /// <summary>
    /// The 4xx a database refusal of the input itself deserves (a value it cannot store, a broken
    /// constraint), or null. Code checks input before it reaches SQL; this is the net under it.
    /// </summary>
    public static (int Status, string Detail)? InputRejection(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is PostgresException pg)
            {
                return pg.SqlState switch
                {
                    PostgresErrorCodes.UniqueViolation => (409, "This conflicts with an existing record."),
                    PostgresErrorCodes.ForeignKeyViolation => (409, "This refers to a record that does not exist or is still referred to."),
                    _ when pg.SqlState.StartsWith("22", StringComparison.Ordinal) => (400, "A value in the request cannot be stored: it is malformed, out of range or contains characters that are not allowed."),
                    _ when pg.SqlState.StartsWith("23", StringComparison.Ordinal) => (400, "A value in the request breaks a rule of the data: a required value is missing or one is out of range."),
                    _ => null,
                };
            }
        }
        return null;
    }
}

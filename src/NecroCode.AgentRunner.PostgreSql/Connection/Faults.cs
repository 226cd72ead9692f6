using System.Net.Sockets;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Connection;

/// <summary>Tells faults worth a retry (the server restarting, out of reach) from refusals, and words them without secrets.</summary>
internal static class Faults
{
    /// <summary>Whether retrying may succeed: the connection broke or could not be made, or the server is starting, stopping or overloaded.</summary>
    /// <param name="fault">The exception.</param>
    /// <returns>True for a transient fault.</returns>
    public static bool IsTransient(Exception fault) => fault switch
    {
        PostgresException postgres => postgres.SqlState is
            PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.TooManyConnections
            || postgres.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException,
        SocketException or IOException => true,
        _ => false,
    };

    /// <summary>The exception for a fault that is not transient: a refused login, a missing database, a failed statement.</summary>
    /// <param name="fault">The exception.</param>
    /// <param name="target">The server, when known.</param>
    /// <param name="operation">What was done.</param>
    /// <returns>A <see cref="RegistryException"/> naming host, port and database, never the password.</returns>
    public static RegistryException Refused(Exception fault, ConnectionTarget? target, string operation)
    {
        var server = target is null ? "PostgreSQL" : $"PostgreSQL at {target.Host}:{target.Port}";
        var detail = target is null ? Describe(fault) : target.Mask(Describe(fault));
        var message = fault is PostgresException postgres ? postgres.SqlState switch
        {
            PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                $"{server} refused the login to database '{target?.Database}'{User(target)}: {detail}. Check the user and password of {PostgreSqlOptions.SectionName}:ConnectionString (or of its secret).",
            PostgresErrorCodes.InvalidCatalogName =>
                $"{server} has no database '{target?.Database}' ({detail}); create it, or name another in {PostgreSqlOptions.SectionName}:ConnectionString.",
            PostgresErrorCodes.InsufficientPrivilege =>
                $"{server}, database '{target?.Database}'{User(target)}: not allowed to {operation} ({detail}).",
            _ => $"{server}, database '{target?.Database}': could not {operation}: {detail}",
        }
        : $"{server}, database '{target?.Database}': could not {operation}: {detail}";
        return new RegistryException(message, fault);
    }

    /// <summary>A fault in one line: the SQL state and the server's text, or the driver's message and its cause.</summary>
    /// <param name="fault">The exception.</param>
    /// <returns>The text (not yet masked).</returns>
    public static string Describe(Exception fault) => fault switch
    {
        PostgresException postgres => $"{postgres.SqlState}: {postgres.MessageText}",
        { InnerException: { } inner } when inner.Message != fault.Message => $"{fault.Message} ({inner.Message})",
        _ => fault.Message,
    };

    private static string User(ConnectionTarget? target) => target?.Username is { } user ? $" as user '{user}'" : string.Empty;
}

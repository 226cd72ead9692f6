using System.Globalization;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Connection;

/// <summary>
/// The server a connection string points at, described without its password (<c>host:port/database</c>), and the
/// connection string the provider connects with: the given one with the schema as search path and the command timeout.
/// </summary>
internal sealed class ConnectionTarget
{
    private readonly string _connectionString;
    private readonly string? _password;

    private ConnectionTarget(NpgsqlConnectionStringBuilder builder, string original)
    {
        Host = string.IsNullOrEmpty(builder.Host) ? "localhost" : builder.Host;
        Port = builder.Port;
        Database = builder.Database ?? builder.Username ?? "(default)";
        Username = builder.Username;
        _password = string.IsNullOrEmpty(builder.Password) ? null : builder.Password;
        _connectionString = builder.ConnectionString;
        Original = original;
    }

    /// <summary>The server's host (or the hosts, comma-separated).</summary>
    public string Host { get; }

    /// <summary>The server's port.</summary>
    public int Port { get; }

    /// <summary>The database.</summary>
    public string Database { get; }

    /// <summary>The user, when given.</summary>
    public string? Username { get; }

    /// <summary>The connection string as configured (never shown).</summary>
    private string Original { get; }

    /// <summary>The connection string to connect with (never shown).</summary>
    public string ConnectionString => _connectionString;

    /// <summary>The connection string of a connection kept apart from the pool (to LISTEN on), never shown.</summary>
    public string UnpooledConnectionString => new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString;

    /// <summary>Parses <paramref name="connectionString"/> and applies the provider's settings to it.</summary>
    /// <param name="connectionString">The configured connection string.</param>
    /// <param name="options">The schema (search path) and the command timeout.</param>
    /// <returns>The target.</returns>
    /// <exception cref="RegistryException">The connection string does not parse (the message shows no part of it).</exception>
    public static ConnectionTarget Create(string connectionString, PostgreSqlOptions options)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        if (Problem(connectionString) is { } problem)
        {
            throw new RegistryException($"The PostgreSQL connection string {problem}");
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            SearchPath = options.Schema,
            CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds),
        };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "necrocode-runner";
        }

        // The provider leaves no session state on a pooled connection (its one SET is LOCAL to the migration's
        // transaction; listening happens on connections of their own), so a connection need not be reset when it goes
        // back to the pool; and its few statements, run again and again, are worth preparing once per connection.
        // Either can be turned back by naming it in the connection string (e.g. Max Auto Prepare=0 behind a pooler
        // in transaction mode, which cannot keep prepared statements).
        if (!Names(connectionString, "No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        if (!Names(connectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        return new ConnectionTarget(builder, connectionString);
    }

    /// <summary>What is wrong with a connection string, without quoting any of it; null when it parses and names a host.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The problem, or null.</returns>
    public static string? Problem(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return ex is ArgumentException { ParamName: { Length: > 0 } keyword }
                ? $"has a keyword Npgsql does not know, or a value of the wrong form for it: '{keyword}'."
                : "does not parse as an Npgsql connection string (Host=…;Port=…;Database=…;Username=…;Password=…).";
        }

        return string.IsNullOrWhiteSpace(builder.Host) ? "names no Host." : null;
    }

    /// <summary>Whether <paramref name="connectionString"/> sets <paramref name="keyword"/> (ignoring case and spaces).</summary>
    private static bool Names(string connectionString, string keyword)
    {
        var wanted = keyword.Replace(" ", string.Empty, StringComparison.Ordinal);
        return connectionString.Split(';').Any(part => part.Split('=')[0].Replace(" ", string.Empty, StringComparison.Ordinal).Equals(wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The server, for messages: <c>host:port/database</c> (and the user), never the password.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}/{Database}") + (Username is null ? string.Empty : $" as user '{Username}'");

    /// <summary>Removes the password and the connection strings from <paramref name="text"/> (a server's or driver's message).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without them.</returns>
    public string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = text.Replace(Original, "(connection string)", StringComparison.Ordinal)
            .Replace(_connectionString, "(connection string)", StringComparison.Ordinal);
        return _password is null ? masked : masked.Replace(_password, "***", StringComparison.Ordinal);
    }

    /// <summary>The password, to register with the runner's secret masker; null when there is none.</summary>
    /// <returns>The password.</returns>
    public string? PasswordForMasking() => _password;
}

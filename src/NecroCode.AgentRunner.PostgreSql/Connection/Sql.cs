using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Connection;

/// <summary>Builds commands with positional-free, named parameters (<c>@name</c>); a null value is sent as SQL NULL.</summary>
internal static class Sql
{
    /// <summary>A command on <paramref name="connection"/>.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="text">The statement.</param>
    /// <param name="parameters">Its parameters by name.</param>
    /// <returns>The command (the caller disposes it).</returns>
    public static NpgsqlCommand Command(NpgsqlConnection connection, string text, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(text, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs a statement and returns how many rows it changed.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="text">The statement.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <param name="parameters">Its parameters by name.</param>
    /// <returns>The number of rows.</returns>
    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string text, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, text, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query and reads its first row, or returns the default when there is none.</summary>
    /// <typeparam name="T">What a row becomes.</typeparam>
    /// <param name="connection">The open connection.</param>
    /// <param name="text">The query.</param>
    /// <param name="read">Reads the row.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <param name="parameters">Its parameters by name.</param>
    /// <returns>The row, or default.</returns>
    public static async Task<T?> FirstAsync<T>(NpgsqlConnection connection, string text, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, text, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : default;
    }

    /// <summary>Runs a query and reads every row.</summary>
    /// <typeparam name="T">What a row becomes.</typeparam>
    /// <param name="connection">The open connection.</param>
    /// <param name="text">The query.</param>
    /// <param name="read">Reads a row.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <param name="parameters">Its parameters by name.</param>
    /// <returns>The rows, in the query's order.</returns>
    public static async Task<List<T>> ListAsync<T>(NpgsqlConnection connection, string text, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, text, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>A nullable text column.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The text, or null.</returns>
    public static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A timestamptz column as a UTC <see cref="DateTimeOffset"/>.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The instant.</returns>
    public static DateTimeOffset Instant(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>A nullable timestamptz column.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The instant, or null.</returns>
    public static DateTimeOffset? MaybeInstant(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Schema;

/// <summary>
/// Brings the provider's schema up to date: the embedded scripts <c>NNNN_name.sql</c> run in order, each once,
/// recorded in <c>schema_version</c>. All of it happens in one transaction under a transaction-level advisory lock, so
/// that many runners starting at once migrate once and the others wait and find it done. A schema newer than the
/// scripts is refused.
/// </summary>
internal static partial class SchemaMigrator
{
    private const string ResourcePrefix = "NecroCode.AgentRunner.PostgreSql.Migrations.";

    /// <summary>The embedded scripts, by version, oldest first.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = Load();

    /// <summary>The schema version this package knows last.</summary>
    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Migrates <paramref name="schema"/> to <see cref="LatestVersion"/>.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="schema">The schema's name (checked by the options validator: a plain lower-case identifier).</param>
    /// <param name="server">The server, for messages.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="cancellationToken">Cancels the migration (nothing is applied then).</param>
    /// <returns>The schema's version afterwards.</returns>
    /// <exception cref="RegistryException">The schema is newer than this package knows.</exception>
    public static async Task<int> MigrateAsync(NpgsqlConnection connection, string schema, string server, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var quoted = Quote(schema);
        if (await ReadVersionAsync(connection, schema, quoted, null, cancellationToken).ConfigureAwait(false) is { } known && known >= LatestVersion)
        {
            return CheckNotNewer(known, schema, server);
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", LockKey(schema))).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {quoted}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                transaction,
                $"CREATE TABLE IF NOT EXISTS {quoted}.schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken).ConfigureAwait(false);
            var current = CheckNotNewer(await ReadVersionAsync(connection, schema, quoted, transaction, cancellationToken).ConfigureAwait(false) ?? 0, schema, server);
            await ExecuteAsync(connection, transaction, $"SET LOCAL search_path TO {quoted}", cancellationToken).ConfigureAwait(false);
            foreach (var migration in Migrations.Where(m => m.Version > current))
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO schema_version (version, name) VALUES (@version, @name)",
                    cancellationToken,
                    ("version", migration.Version),
                    ("name", migration.Name)).ConfigureAwait(false);
                Log.Applied(logger, schema, migration.Version, migration.Name);
                current = migration.Version;
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return current;
        }
    }

    /// <summary>The schema name as a quoted identifier.</summary>
    /// <param name="schema">The name.</param>
    /// <returns>It in double quotes, inner quotes doubled.</returns>
    public static string Quote(string schema) => "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static int CheckNotNewer(int version, string schema, string server) =>
        version <= LatestVersion
            ? version
            : throw new RegistryException(
                $"The schema '{schema}' of PostgreSQL at {server} is at version {version}, newer than this runner knows (version {LatestVersion}); " +
                "a newer NecroCode.AgentRunner.PostgreSql migrated it. Update this runner (every runner sharing the database) instead of using the database with an older one.");

    private static async Task<int?> ReadVersionAsync(NpgsqlConnection connection, string schema, string quoted, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection, transaction);
        exists.Parameters.AddWithValue("table", $"{quoted}.schema_version");
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
        {
            return null;
        }

        await using var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {quoted}.schema_version", connection, transaction);
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The advisory lock of the schema's migrations: the first 8 bytes of the SHA-256 of a fixed prefix and the name.</summary>
    private static long LockKey(string schema) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("necrocode-schema-migration:" + schema)), 0);

    private static List<Migration> Load()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var file = resource[ResourcePrefix.Length..];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"The embedded migration '{file}' is not named NNNN_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(file[(underscore + 1)..]), reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        return migrations.Count > 0 ? migrations : throw new InvalidOperationException("No migration is embedded in " + assembly.GetName().Name + ".");
    }

    /// <summary>One embedded script.</summary>
    /// <param name="Version">Its version (the number its file name starts with).</param>
    /// <param name="Name">The rest of its file name.</param>
    /// <param name="Sql">Its text.</param>
    internal sealed record Migration(int Version, string Name, string Sql);

    private static partial class Log
    {
        [LoggerMessage(12010, LogLevel.Information, "Schema {Schema}: applied migration {Version} ({Name})")]
        public static partial void Applied(ILogger logger, string schema, int version, string name);
    }
}

using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.PostgreSql;

/// <summary>
/// Settings of the PostgreSQL provider: which database, which schema in it, and how long leases last. Bound from
/// <c>NecroCode:PostgreSql</c>. Every runner of a fleet points at the same database and schema.
/// </summary>
public sealed class PostgreSqlOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:PostgreSql</c>.</summary>
    public const string SectionName = "NecroCode:PostgreSql";

    /// <summary>
    /// The Npgsql connection string (<c>Host=db;Port=5432;Database=necrocode;Username=runner;Password=…</c>). Set this
    /// or <see cref="ConnectionStringSecret"/>, not both. Its password never appears in a log or an error.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The name of the secret that holds the connection string, read through the runner's credentials
    /// (<c>NecroCode:Credentials</c>: the file of that name in the secret-mount folder, or <c>NECROCODE_</c> + the name
    /// in upper case, e.g. <c>NECROCODE_POSTGRES_CONNECTION</c> for <c>postgres-connection</c>).
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    public string? ConnectionStringSecret { get; set; }

    /// <summary>The schema the provider's tables live in; created when missing. Default <c>necrocode</c>.</summary>
    [Required]
    [RegularExpression("^[a-z_][a-z0-9_]{0,47}$", ErrorMessage = "The schema name must be 1-48 lower-case letters, digits or '_', not starting with a digit.")]
    public string Schema { get; set; } = "necrocode";

    /// <summary>
    /// How long a claim, a branch lock, a slot record or a run permit lasts unless its holder renews it. A holder
    /// that dies is replaced after at most this long. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest one SQL command may run. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an operation keeps retrying while the server cannot be reached (restarting, refusing connections)
    /// before it fails with a transient <see cref="RegistryException"/>. Default 60 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReconnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first pause between retries; it doubles up to <see cref="MaxReconnectBackoff"/>. Default 100 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan ReconnectBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between retries. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most runs at once across every runner that shares the schema, on all machines; each run holds a permit leased
    /// in the database. Null (default): no fleet-wide limit (each machine's own <c>NecroCode:Concurrency</c> limit still applies).
    /// </summary>
    [Range(1, 100_000)]
    public int? MaxParallelRuns { get; set; }

    /// <summary>
    /// This machine's name in the shared records (slot records, run permits, branch locks). Every machine of a fleet
    /// needs its own. Default the host name.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")]
    public string MachineId { get; set; } = Environment.MachineName;

    /// <summary>How often a run waiting for a branch lock or a fleet-wide run permit looks again when no notification wakes it. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}

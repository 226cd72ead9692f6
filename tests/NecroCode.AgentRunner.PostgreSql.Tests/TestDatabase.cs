using Microsoft.Extensions.Logging;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

/// <summary>
/// A fresh schema of the test database for one test, dropped at the end, and the provider instances opened on it
/// (each one a "machine"). It also reaches into the tables to move the server's clock for a claim (expire it now).
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly List<PostgreSqlFleet> _fleets = [];
    private readonly NpgsqlDataSource _admin;

    private TestDatabase(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        Schema = schema;
        _admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString);
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public static async Task<TestDatabase> CreateAsync() =>
        new(await TestServer.RequireAsync(), "t_" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>The options of a provider on this schema: short pauses, and a lease of 30 s unless changed.</summary>
    public PostgreSqlOptions Options(string machineId = "machine-a") => new()
    {
        ConnectionString = ConnectionString,
        Schema = Schema,
        MachineId = machineId,
        ReconnectBackoff = TimeSpan.FromMilliseconds(50),
        MaxReconnectBackoff = TimeSpan.FromSeconds(1),
        ReconnectTimeout = TimeSpan.FromSeconds(60),
        PollInterval = TimeSpan.FromSeconds(1),
    };

    /// <summary>Opens a provider instance ("machine") on this schema; disposed with the database.</summary>
    public PostgreSqlFleet Open(string machineId = "machine-a", Action<PostgreSqlOptions>? configure = null, ILoggerFactory? loggers = null)
    {
        var options = Options(machineId);
        configure?.Invoke(options);
        var fleet = new PostgreSqlFleet(options, loggers);
        lock (_fleets)
        {
            _fleets.Add(fleet);
        }

        return fleet;
    }

    /// <summary>Ends the lease of a task's claim now, on the server's clock (as if its holder had stopped renewing it long ago).</summary>
    public Task ExpireClaimAsync(TaskKey task) =>
        ExecuteAsync("UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE spec_name = @spec AND task_id = @task AND holder IS NOT NULL", ("spec", task.SpecName), ("task", task.TaskId));

    /// <summary>Ends every lease of a table now (branch_locks, slot_leases, run_permits, runners).</summary>
    public Task ExpireAllAsync(string table) => ExecuteAsync($"UPDATE {table} SET expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL");

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = _admin.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = _admin.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var fleet in _fleets)
        {
            await fleet.DisposeAsync();
        }

        await using (var drop = _admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await _admin.DisposeAsync();
    }
}

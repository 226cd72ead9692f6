using NecroCode.AgentRunner.PostgreSql;
using Npgsql;

namespace NecroCode.AgentRunner.Benchmarks.PostgreSql;

/// <summary>
/// A fresh schema on the server named by <c>NECROCODE_POSTGRES_TEST</c> (<c>source eng/services/postgres.sh</c> starts
/// one), with the provider opened on it and a plain data source for the raw-SQL baselines.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private BenchDatabase(string connectionString)
    {
        Schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        Fleet = new PostgreSqlFleet(new PostgreSqlOptions { ConnectionString = connectionString, Schema = Schema, MachineId = "bench" });
        Raw = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = Schema, MaxPoolSize = 64 }.ConnectionString);
    }

    public string Schema { get; }

    public PostgreSqlFleet Fleet { get; }

    public NpgsqlDataSource Raw { get; }

    public static async Task<BenchDatabase> CreateAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("NECROCODE_POSTGRES_TEST")
            ?? throw new InvalidOperationException("NECROCODE_POSTGRES_TEST is not set: run 'source eng/services/postgres.sh' first.");
        var database = new BenchDatabase(connectionString);
        await database.Fleet.StartAsync(CancellationToken.None);
        return database;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = Raw.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        await Fleet.DisposeAsync();
        await Raw.DisposeAsync();
    }
}

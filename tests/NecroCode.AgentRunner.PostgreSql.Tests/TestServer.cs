using System.Diagnostics;
using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

/// <summary>
/// The real server of the tests: <c>NECROCODE_POSTGRES_TEST</c> (set by <c>eng/services/postgres.sh</c>). In CI
/// (<c>CI=true</c>) a missing or silent server fails the tests; elsewhere they are ignored with the reason.
/// </summary>
internal static class TestServer
{
    public const string Variable = "NECROCODE_POSTGRES_TEST";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _problem;
    private static bool _probed;

    /// <summary>The connection string, or fails/ignores the test when there is no server.</summary>
    public static async Task<string> RequireAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        await Gate.WaitAsync();
        try
        {
            if (!_probed)
            {
                _problem = string.IsNullOrEmpty(connectionString) ? $"{Variable} is not set" : await ProbeAsync(connectionString);
                _probed = true;
            }
        }
        finally
        {
            Gate.Release();
        }

        if (_problem is not null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"CI=true and no PostgreSQL server for the tests: {_problem}. eng/test.sh sources eng/services/postgres.sh to start one.");
            }

            Assert.Ignore($"No PostgreSQL server for the tests ({_problem}); run 'source eng/services/postgres.sh' first.");
        }

        return connectionString!;
    }

    /// <summary>Restarts the server with <c>eng/services/postgres.sh restart</c> (fast shutdown: every connection breaks).</summary>
    public static async Task RestartAsync()
    {
        var script = Environment.GetEnvironmentVariable("NECROCODE_POSTGRES_TEST_SCRIPT");
        if (string.IsNullOrEmpty(script) || !File.Exists(script))
        {
            Assert.Fail("NECROCODE_POSTGRES_TEST_SCRIPT does not name eng/services/postgres.sh, which restarts the server.");
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script!);
        start.ArgumentList.Add("restart");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"postgres.sh restart failed: {await stderr}");
    }

    private static async Task<string?> ProbeAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await connection.OpenAsync(timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or ArgumentException)
        {
            return ex.Message;
        }
    }
}

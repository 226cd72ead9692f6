using Npgsql;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
[NonParallelizable] // terminates the runner's connections to the server every test of this assembly uses
public sealed class ConnectionFaultTests
{
    private const string WrongPassword = "not-the-password-9f3c";

    [Test]
    public async Task WrongPassword_OneClearErrorNamingHostPortAndDatabase_NeverThePassword()
    {
        var good = new NpgsqlConnectionStringBuilder(await TestServer.RequireAsync());
        var connectionString = new NpgsqlConnectionStringBuilder(good.ConnectionString) { Password = WrongPassword }.ConnectionString;
        await using var fleet = new PostgreSqlFleet(new PostgreSqlOptions { ConnectionString = connectionString, Schema = "t_unused" });

        var error = Assert.ThrowsAsync<RegistryException>(() => fleet.StartAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.Contain($"{good.Host}:{good.Port}").And.Contain(good.Database!).And.Contain("password authentication failed"));
        Assert.That(error.IsTransient, Is.False);
        Assert.That(error.ToString(), Does.Not.Contain(WrongPassword).And.Not.Contain(connectionString));
    }

    [Test]
    public async Task UnknownDatabase_SaysSo()
    {
        var builder = new NpgsqlConnectionStringBuilder(await TestServer.RequireAsync()) { Database = "no_such_database_here" };
        await using var fleet = new PostgreSqlFleet(new PostgreSqlOptions { ConnectionString = builder.ConnectionString, Schema = "t_unused" });

        var error = Assert.ThrowsAsync<RegistryException>(() => fleet.Registry.GetTaskAsync(new TaskKey("spec", "1"), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("no database 'no_such_database_here'").And.Contain(builder.Host!));
        Assert.That(error.ToString(), Does.Not.Contain(builder.Password!));
    }

    [Test]
    public async Task UnreachableServer_RetriedForTheReconnectTimeout_ThenATransientErrorNamingHostAndDatabase()
    {
        await TestServer.RequireAsync();
        const string connectionString = "Host=127.0.0.1;Port=1;Database=fleet_db;Username=runner;Password=" + WrongPassword + ";Timeout=2";
        await using var fleet = new PostgreSqlFleet(new PostgreSqlOptions
        {
            ConnectionString = connectionString,
            ReconnectTimeout = TimeSpan.FromSeconds(1),
            ReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromMilliseconds(200),
        });

        var error = Assert.ThrowsAsync<RegistryException>(() => fleet.Queue.ClaimNextAsync("runner-a", CancellationToken.None));

        Assert.That(error!.IsTransient, Is.True);
        Assert.That(error.Message, Does.Contain("127.0.0.1:1/fleet_db").And.Contain("did not answer").And.Contain("attempts"));
        Assert.That(error.ToString(), Does.Not.Contain(WrongPassword).And.Not.Contain(connectionString));
    }

    [Test]
    public async Task KilledConnection_TheOperationIsRetriedOnANewOne()
    {
        await using var database = await TestDatabase.CreateAsync();
        var registry = database.Open().Registry;
        var task = new TaskKey("spec", "1");
        await registry.TryClaimTaskAsync(task, "runner-a", CancellationToken.None);

        await database.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = current_user AND pid <> pg_backend_pid() AND application_name = 'necrocode-runner'");
        await registry.AppendEventAsync(Tasks.Event(task, "runner-a"), CancellationToken.None);

        Assert.That(await registry.GetEventsAsync(task, CancellationToken.None), Has.Count.EqualTo(1));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

[TestFixture]
public sealed class PostgreSqlAgentRunnerBuilderExtensionsTests
{
    [Test]
    public void UsePostgreSql_ReplacesTheRegistryQueueAndBranchLock_AndWrapsTheSlotPoolAndLimiter()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UsePostgreSql(o =>
        {
            o.ConnectionString = "Host=127.0.0.1;Database=x";
            o.MaxParallelRuns = 4;
        });
        using var provider = services.BuildServiceProvider();

        var fleet = provider.GetRequiredService<PostgreSqlFleet>();
        Assert.That(provider.GetRequiredService<ITaskRegistry>(), Is.SameAs(fleet.Registry));
        Assert.That(provider.GetRequiredService<ITaskQueue>(), Is.SameAs(fleet.Queue));
        Assert.That(provider.GetRequiredService<IBranchLock>(), Is.SameAs(fleet.BranchLock));
        Assert.That(provider.GetRequiredService<ISlotPool>().GetType().Name, Is.EqualTo("SharedSlotPool"));
        Assert.That(provider.GetRequiredService<IRunConcurrencyLimiter>().GetType().Name, Is.EqualTo("FleetRunLimiter"));
    }

    [Test]
    public void UsePostgreSql_Twice_WrapsOnce()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UsePostgreSql(o => o.ConnectionString = "Host=db").UsePostgreSql();

        Assert.That(services.Count(d => d.ServiceType == typeof(ISlotPool)), Is.EqualTo(1));
        Assert.That(services.Count(d => d.ServiceType == typeof(PostgreSqlFleet)), Is.EqualTo(1));
    }

    [Test]
    public void UsePostgreSql_NoConnectionString_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UsePostgreSql();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => _ = provider.GetRequiredService<IOptions<PostgreSqlOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("ConnectionString"));
    }

    [Test]
    public async Task UsePostgreSql_ConnectionStringFromASecret_ConnectsWithIt()
    {
        var connectionString = await TestServer.RequireAsync();
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        var services = new ServiceCollection();
        services.AddSingleton<ICredentialProvider>(new SecretStub("postgres-connection", connectionString));
        services.AddAgentRunner().UsePostgreSql(o =>
        {
            o.ConnectionStringSecret = "postgres-connection";
            o.Schema = schema;
        });
        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<ITaskRegistry>();

        try
        {
            await registry.SetTaskStateAsync(new TaskKey("spec", "1"), TaskState.Pending, "runner-a", CancellationToken.None);
            Assert.That((await registry.GetTaskAsync(new TaskKey("spec", "1"), CancellationToken.None))!.State, Is.EqualTo(TaskState.Pending));
        }
        finally
        {
            await using var drop = Npgsql.NpgsqlDataSource.Create(connectionString).CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Test]
    public async Task UsePostgreSql_TheMaskerLearnsThePassword()
    {
        var connectionString = await TestServer.RequireAsync();
        await using var database = await TestDatabase.CreateAsync();
        var masker = new FakeSecretMasker();
        var fleet = new PostgreSqlFleet(database.Options(), masker: masker);
        await using (fleet)
        {
            await fleet.StartAsync(CancellationToken.None);
        }

        var password = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Password!;
        Assert.That(masker.Apply($"x {password} y"), Does.Not.Contain(password));
    }

    private sealed class SecretStub(string name, string value) : ICredentialProvider
    {
        public ValueTask<Secret?> GetAsync(string secretName, CancellationToken cancellationToken) =>
            ValueTask.FromResult(secretName == name ? new Secret(name, value) : null);
    }
}

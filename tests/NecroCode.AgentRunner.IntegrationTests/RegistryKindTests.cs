using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli.Hosting;
using NecroCode.AgentRunner.Cli;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary><c>NecroCode:Registry:Kind</c> chooses the registry the host composes.</summary>
[TestFixture]
public sealed class RegistryKindTests
{
    [Test]
    public async Task BuildServices_PostgreSql_UsesThePostgreSqlRegistryAndQueue()
    {
        await using var services = Build(new()
        {
            ["NecroCode:Registry:Kind"] = "postgresql",
            ["NecroCode:PostgreSql:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=fleet",
            ["NecroCode:PostgreSql:MachineId"] = "machine-7",
        });

        RunnerHost.ValidateOptions(services);

        Assert.That(services.GetRequiredService<ITaskRegistry>().GetType().Name, Is.EqualTo("PostgreSqlTaskRegistry"));
        Assert.That(services.GetRequiredService<ITaskQueue>().GetType().Name, Is.EqualTo("PostgreSqlTaskQueue"));
        Assert.That(services.GetRequiredService<PostgreSql.PostgreSqlFleet>().Options.MachineId, Is.EqualTo("machine-7"));
    }

    [Test]
    public async Task ValidateOptions_PostgreSqlWithoutAConnectionString_IsASettingsError()
    {
        await using var services = Build(new() { ["NecroCode:Registry:Kind"] = "postgresql" });

        var error = Assert.Throws<HostConfigurationException>(() => RunnerHost.ValidateOptions(services));

        Assert.That(error!.Message, Does.Contain("ConnectionString"));
    }

    [Test]
    public void BuildServices_UnknownKind_NamesTheKnownOnes()
    {
        var error = Assert.Throws<HostConfigurationException>(() => Build(new() { ["NecroCode:Registry:Kind"] = "redis" }));

        Assert.That(error!.Message, Does.Contain("'redis'").And.Contain("file-system, postgresql"));
    }

    [Test]
    public async Task BuildServices_Default_KeepsTheFileSystemRegistry()
    {
        await using var services = Build([]);

        Assert.That(services.GetRequiredService<ITaskRegistry>().GetType().Name, Is.EqualTo("FileSystemTaskRegistry"));
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        values["NecroCode:Agent:Command"] = "true";
        return RunnerHost.BuildServices(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), TextWriter.Null, OutputMode.Summary);
    }
}

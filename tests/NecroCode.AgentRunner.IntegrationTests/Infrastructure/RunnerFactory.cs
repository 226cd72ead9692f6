using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli;
using NecroCode.AgentRunner.Cli.Hosting;
using NecroCode.AgentRunner.Orchestration;

namespace NecroCode.AgentRunner.IntegrationTests.Infrastructure;

/// <summary>Composes the runner exactly as the command-line host does, over a sandbox.</summary>
internal static class RunnerFactory
{
    public static ServiceProvider Create(Sandbox sandbox, string agentScript, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["NecroCode:FileSystem:RootPath"] = sandbox.Root,
            ["NecroCode:Runner:WorkDirectory"] = sandbox.WorkPath,
            ["NecroCode:Agent:Command"] = "/bin/sh",
            ["NecroCode:Agent:Arguments:0"] = agentScript,
            ["NecroCode:Agent:PromptMode"] = "Stdin",
            ["NecroCode:Git:RetryBaseDelay"] = "00:00:00.050",
            ["NecroCode:Processes:InterruptGracePeriod"] = "00:00:01",
            ["NecroCode:Processes:TerminateGracePeriod"] = "00:00:01",
            ["NecroCode:Sandbox:ExtraWritablePaths:0"] = sandbox.Probe,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = RunnerHost.BuildServices(configuration, TextWriter.Null, OutputMode.Summary);
        RunnerHost.ValidateOptions(services);
        return services;
    }

    public static RunnerOrchestrator Orchestrator(this ServiceProvider services) => services.GetRequiredService<RunnerOrchestrator>();

    public static TaskContext Task(string id = "1", params string[] testCommands) => new()
    {
        TaskId = id,
        SpecName = "calc",
        Title = "Add subtraction",
        Description = "calc.sh gets a third argument: the operator, + or -.",
        AcceptanceCriteria = ["`sh calc.sh 5 3 -` prints 2"],
        TestCommands = testCommands.Length > 0 ? testCommands : ["sh test.sh"],
    };
}

using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// samples/HostedRunner, run as a real process: it binds its settings from appsettings.json and the environment, takes
/// a task from the queue of a fresh root, runs it against a real origin, and stops cleanly on SIGTERM.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class HostedRunnerTests
{
    private static readonly string ProgramPath = GreetingRepository.ProgramPath("HostedRunner");

    [Test]
    public async Task Service_WithATaskInTheQueue_RunsItPushesTheBranchAndStopsOnSigterm()
    {
        using var folder = new TempFolder("necrocode-hosted-runner-");
        var repository = await GreetingRepository.CreateAsync(folder);
        var root = folder.CreateFolder("root");
        var task = new TaskContext { TaskId = "1", SpecName = "greeting", Title = "Greet by name", TestCommands = ["sh test.sh"] };
        await using (var enqueuer = Enqueuer(root))
        {
            await enqueuer.GetRequiredService<ITaskQueue>().EnqueueAsync(task, CancellationToken.None);
        }

        using var service = HostProcess.StartProgram(ProgramPath, folder.Path, Settings(folder, repository, root));
        await service.WaitForOutputAsync("Task greeting/1 finished: Succeeded", TimeSpan.FromMinutes(3));
        await service.SignalAsync("TERM");
        var output = await service.WaitForExitAsync();

        await using var reader = Enqueuer(root);
        var entry = await reader.GetRequiredService<ITaskQueue>().GetAsync(new TaskKey("greeting", "1"), CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(output.ExitCode, Is.Zero, output.StandardOutput + output.StandardError);
            Assert.That(output.StandardOutput, Does.Contain("Ready: taking tasks from the queue"));
            Assert.That(output.StandardOutput, Does.Contain("Stopped"));
            Assert.That(entry?.Entry.State, Is.EqualTo(TaskState.Done));
            Assert.That(await Shell.GitAsync(repository.Origin, "show", "feature/task-greeting-1:greet.sh"), Does.Contain(GreetingRepository.FixedGreeting));
            Assert.That(Directory.Exists(Path.Combine(root, "slots", "slot-1", ".git")), Is.True, "appsettings.json's PoolSize lets the pool add a slot");
        });
    }

    [Test]
    public async Task Service_WithAMisspelledSetting_RefusesToStartNamingTheNearestKey()
    {
        using var folder = new TempFolder("necrocode-hosted-runner-");
        var repository = await GreetingRepository.CreateAsync(folder);
        var settings = Settings(folder, repository, folder.CreateFolder("root"));
        settings["NecroCode__Git__Orign"] = repository.Origin;

        using var service = HostProcess.StartProgram(ProgramPath, folder.Path, settings);
        var output = await service.WaitForExitAsync();

        Assert.Multiple(() =>
        {
            Assert.That(output.ExitCode, Is.Not.Zero);
            Assert.That(output.StandardOutput + output.StandardError, Does.Contain("NecroCode:Git:Orign").And.Contain("NecroCode:Git:Origin"));
        });
    }

    /// <summary>The service's settings over appsettings.json, as an operator would give them: environment variables.</summary>
    private static Dictionary<string, string?> Settings(TempFolder folder, GreetingRepository repository, string root) => new()
    {
        ["NecroCode__FileSystem__RootPath"] = root,
        ["NecroCode__Git__Origin"] = repository.Origin,
        ["NecroCode__Agent__Command"] = repository.Agent,
        ["NecroCode__Runner__WorkDirectory"] = folder.Combine("work"),
        ["Worker__IdleWait"] = "00:00:02",
    };

    /// <summary>Another process's view of the same root, through the library: what `necrocode-runner enqueue` does.</summary>
    private static ServiceProvider Enqueuer(string root)
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseFileSystem(files => files.RootPath = root);
        return services.BuildServiceProvider();
    }
}

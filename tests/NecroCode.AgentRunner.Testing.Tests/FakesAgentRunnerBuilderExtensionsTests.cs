using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakesAgentRunnerBuilderExtensionsTests
{
    [Test]
    public void UseFakes_AfterAddAgentRunner_EveryRoleResolvesToItsFake()
    {
        var fakes = new AgentRunnerFakes();
        var services = new ServiceCollection();
        services.AddAgentRunner().UseFakes(fakes);

        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<ITaskRegistry>(), Is.SameAs(fakes.Registry));
            Assert.That(provider.GetRequiredService<ISlotPool>(), Is.SameAs(fakes.Slots));
            Assert.That(provider.GetRequiredService<IArtifactStore>(), Is.SameAs(fakes.Artifacts));
            Assert.That(provider.GetRequiredService<IWorkspaceManager>(), Is.SameAs(fakes.Workspace));
            Assert.That(provider.GetRequiredService<ICodingAgent>(), Is.SameAs(fakes.Agent));
            Assert.That(provider.GetRequiredService<ITestRunner>(), Is.SameAs(fakes.Tests));
            Assert.That(provider.GetRequiredService<IBranchLock>(), Is.SameAs(fakes.BranchLock));
            Assert.That(provider.GetRequiredService<IRunConcurrencyLimiter>(), Is.SameAs(fakes.Limiter));
            Assert.That(provider.GetRequiredService<IProcessRunner>(), Is.SameAs(fakes.Processes));
            Assert.That(provider.GetRequiredService<ISecretMasker>(), Is.SameAs(fakes.Masker));
            Assert.That(provider.GetRequiredService<IPromptBuilder>(), Is.SameAs(fakes.Prompts));
            Assert.That(provider.GetRequiredService<AgentRunnerFakes>(), Is.SameAs(fakes));
            Assert.That(provider.GetRequiredService<FakeTaskRegistry>(), Is.SameAs(fakes.Registry));
        });
    }

    [Test]
    public void UseFakes_NoSetGiven_ANewSetResolvableFromTheProvider()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner().UseFakes();

        using var provider = services.BuildServiceProvider();

        var fakes = provider.GetRequiredService<AgentRunnerFakes>();
        Assert.That(provider.GetRequiredService<ISlotPool>(), Is.SameAs(fakes.Slots));
    }

    [Test]
    public async Task UseFakes_WholeRun_SucceedsAgainstTheFakesAndTheyRecordIt()
    {
        using var folder = new TempFolder("necrocode-fakes-run-");
        var fakes = new AgentRunnerFakes();
        fakes.Slots.AddSlot("slot-1", folder.CreateFolder("slot-1"));
        var services = new ServiceCollection();
        services.AddAgentRunner(o => o.WorkDirectory = folder.Combine("work")).UseFakes(fakes);
        await using var provider = services.BuildServiceProvider();
        var task = new TaskContext { TaskId = "1", SpecName = "demo", Title = "Add a feature", TestCommands = ["true"] };

        var result = await provider.GetRequiredService<IAgentRunner>().RunAsync(task, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(fakes.Agent.Requests.Select(r => r.Prompt), Is.EqualTo(new[] { "fake prompt" }));
            Assert.That(fakes.Prompts.Requests.Select(r => r.Task.TaskId), Is.EqualTo(new[] { "1" }));
            Assert.That(fakes.Tests.Requests, Has.Count.EqualTo(1));
            Assert.That(fakes.Workspace.Commits, Has.Count.EqualTo(1));
            Assert.That(fakes.Workspace.Pushes, Has.Count.EqualTo(1));
            Assert.That(fakes.Slots.Released.Select(l => l.SlotId), Is.EqualTo(new[] { "slot-1" }));
            Assert.That(fakes.Artifacts.Content, Is.Not.Empty);
        });
    }

    [Test]
    public async Task UseFakes_WithAFakeClock_RunsOnItInsideItsOwnFolderWhichDisposeRemoves()
    {
        var fakes = new AgentRunnerFakes { Clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(AgentRunnerFakes.ClockStart) };
        var services = new ServiceCollection();
        services.AddAgentRunner().UseFakes(fakes);
        string folder;
        await using (var provider = services.BuildServiceProvider())
        {
            var task = new TaskContext { TaskId = "1", SpecName = "demo", Title = "Add a feature", TestCommands = ["true"] };

            var result = await provider.GetRequiredService<IAgentRunner>().RunAsync(task, CancellationToken.None);

            folder = fakes.Folder;
            Assert.Multiple(() =>
            {
                Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
                Assert.That(result.StartedAt, Is.EqualTo(AgentRunnerFakes.ClockStart));
                Assert.That(result.SlotId, Is.EqualTo("slot-1"));
                Assert.That(File.Exists(Path.Combine(folder, "slots", "slot-1", "fake-change.txt")), Is.True, "the default slot is in the set's folder");
                Assert.That(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AgentRunnerOptions>>().Value.WorkDirectory, Is.EqualTo(Path.Combine(folder, "work")));
                Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(fakes.Clock));
            });
        }

        fakes.Dispose();

        Assert.That(Directory.Exists(folder), Is.False);
    }

    [Test]
    public void UseFakes_SlotAddedByTheTestAndWorkDirectorySet_KeepsBoth()
    {
        using var folder = new TempFolder("necrocode-fakes-own-");
        using var fakes = new AgentRunnerFakes();
        fakes.Slots.AddSlot("mine", folder.CreateFolder("mine"));
        var services = new ServiceCollection();
        services.AddAgentRunner(o => o.WorkDirectory = folder.Combine("work")).UseFakes(fakes);
        using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(fakes.Slots.Count, Is.EqualTo(1));
            Assert.That(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AgentRunnerOptions>>().Value.WorkDirectory, Is.EqualTo(folder.Combine("work")));
            Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(TimeProvider.System), "no fake clock unless asked for");
        });
    }

    [Test]
    public void UseFakes_NullBuilder_Throws() =>
        Assert.That(() => FakesAgentRunnerBuilderExtensions.UseFakes(null!), Throws.ArgumentNullException);
}

using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Testing;
using NUnit.Framework;

namespace ConsumerTests;

/// <summary>
/// The consumer's tests of <see cref="TicketHandler"/>: the real runner (orchestrator, playbook, fix loop, journal),
/// every provider around it a fake from NecroCode.AgentRunner.Testing — no git, no agent, no process, nothing written
/// outside a temp folder — and assertions on what the fakes recorded.
/// </summary>
[TestFixture]
public sealed class TicketHandlerTests
{
    private static readonly Ticket Ticket = new("billing", 42, "Round invoice totals", "Round totals to two decimals, half up.");

    private DirectoryInfo _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("ticket-handler-tests-");

    [TearDown]
    public void DeleteFolder() => _folder.Delete(recursive: true);

    [Test]
    public async Task HandleAsync_AgentSucceeds_CommitsPushesAndReportsTheBranch()
    {
        var fakes = new AgentRunnerFakes();

        var comment = await HandleAsync(fakes);

        Assert.Multiple(() =>
        {
            Assert.That(comment, Is.EqualTo("Ready for review on feature/task-billing-42."));
            Assert.That(fakes.Agent.Requests.Single().Task.Title, Is.EqualTo("Round invoice totals"));
            Assert.That(fakes.Tests.Requests.Single().Commands, Is.EqualTo(new[] { "dotnet test" }));
            Assert.That(fakes.Workspace.Pushes.Single().Branch, Is.EqualTo("feature/task-billing-42"));
            Assert.That(fakes.Slots.Released.Single().SlotId, Is.EqualTo("slot-1"));
        });
    }

    [Test]
    public async Task HandleAsync_TestsFailThenPass_TheAgentIsAskedToFixAndTheBranchIsPushed()
    {
        var fakes = new AgentRunnerFakes { Tests = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Passed) };

        var comment = await HandleAsync(fakes);

        Assert.Multiple(() =>
        {
            Assert.That(comment, Is.EqualTo("Ready for review on feature/task-billing-42."));
            Assert.That(fakes.Agent.Requests.Select(r => r.Attempt), Is.EqualTo(new[] { 1, 2 }), "the first attempt, then one fix");
            Assert.That(fakes.Tests.Requests, Has.Count.EqualTo(2));
            Assert.That(fakes.Workspace.Pushes, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task HandleAsync_TestsNeverPass_NothingIsCommittedOrPushed()
    {
        var fakes = new AgentRunnerFakes { Tests = new FakeTestRunner(TestOutcome.Failed, TestOutcome.Failed, TestOutcome.Failed) };

        var comment = await HandleAsync(fakes);

        Assert.Multiple(() =>
        {
            Assert.That(comment, Is.EqualTo("The tests still fail after the agent's fixes; a person should take it."));
            Assert.That(fakes.Workspace.Commits, Is.Empty);
            Assert.That(fakes.Workspace.Pushes, Is.Empty);
            Assert.That(fakes.Workspace.Rollbacks, Has.Count.EqualTo(1), "the slot is rolled back for the next task");
        });
    }

    [Test]
    public async Task HandleAsync_PushRefused_ReportsTheRefusalAndRecordsTheTaskFailed()
    {
        var fakes = new AgentRunnerFakes();
        fakes.Workspace.PushError = "remote: protected branch hook declined";

        var comment = await HandleAsync(fakes);

        var record = await fakes.Registry.GetTaskAsync(new TaskKey("billing", "42"), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(comment, Does.StartWith("Could not finish (PushFailed)").And.Contain("protected branch hook declined"));
            Assert.That(fakes.Workspace.Commits, Has.Count.EqualTo(1));
            Assert.That(record?.State, Is.EqualTo(TaskState.Failed));
            Assert.That(fakes.Slots.Released, Has.Count.EqualTo(1), "the slot goes back on every path");
        });
    }

    /// <summary>
    /// The whole composition a consumer needs: a slot folder for the fake pool, the runner over the fakes, the class
    /// under test.
    /// </summary>
    private async Task<string> HandleAsync(AgentRunnerFakes fakes)
    {
        fakes.Slots.AddSlot("slot-1", _folder.CreateSubdirectory("slot-1").FullName);
        var services = new ServiceCollection();
        services.AddAgentRunner(runner => runner.WorkDirectory = Path.Combine(_folder.FullName, "work")).UseFakes(fakes);
        services.AddSingleton<TicketHandler>();
        await using var provider = services.BuildServiceProvider();

        return await provider.GetRequiredService<TicketHandler>().HandleAsync(Ticket, CancellationToken.None);
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Specs;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Specs;

[TestFixture]
public sealed class SpecRunnerTests
{
    private const string Plan = """
        # Implementation Plan

        - [ ] 1. Storage
        - [ ] 2. Queries on the storage
        - [ ] 3. Web page
          - _Depends: none_
        """;

    private TempFolder _folder = null!;
    private string _spec = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder("necrocode-specrun-");
        _spec = _folder.CreateFolder("shop");
        File.WriteAllText(Path.Combine(_spec, "tasks.md"), Plan);
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public async Task RunAsync_Chain_StacksTheDependantOnItsDependencysBranchAndCommit()
    {
        var events = new Events();
        await using var services = Compose(new AgentRunnerFakes { Agent = WritingTaskFile() });

        var result = await services.GetRequiredService<ISpecRunner>().RunAsync(new SpecRunRequest(_spec) { Parallel = 2, Events = events }, CancellationToken.None);

        var first = result.Tasks.Single(t => t.TaskId == "1");
        var started = events.Of<SpecTaskStarted>().ToDictionary(e => e.TaskId);
        Assert.Multiple(() =>
        {
            Assert.That(result.Tasks.Select(t => t.Outcome), Is.All.EqualTo(SpecTaskOutcome.Succeeded), string.Join("; ", result.Tasks.Select(t => t.Reason)));
            Assert.That(started["2"], Is.EqualTo(new SpecTaskStarted("2", "feature/task-shop-2", first.Branch, first.CommitId, false)));
            Assert.That(started["1"].BaseBranch, Is.Null);
            Assert.That(started["3"].BaseBranch, Is.Null);
            Assert.That(events.Of<SpecTaskRunEvent>().Where(e => e.Event is RunStarted).Select(e => e.TaskId), Is.EquivalentTo(new[] { "1", "2", "3" }));
            Assert.That(events.Of<SpecTaskFinished>().Select(e => e.TaskId), Is.EquivalentTo(new[] { "1", "2", "3" }));
            Assert.That(File.ReadAllText(Path.Combine(_spec, "tasks.md")), Is.EqualTo(Plan.Replace("[ ]", "[x]", StringComparison.Ordinal)));
        });
    }

    [Test]
    public async Task RunAsync_TaskFails_BlocksItsDependantAndRunsTheIndependentTask()
    {
        var agent = new FakeCodingAgent((request, ct) => request.Task.TaskId == "1"
            ? Task.FromResult(new AgentResult(false, 7, "The agent exited with code 7."))
            : WritingTaskFile().ImplementAsync(request, ct));
        await using var services = Compose(new AgentRunnerFakes { Agent = agent });

        var result = await services.GetRequiredService<ISpecRunner>().RunAsync(new SpecRunRequest(_spec), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Tasks.Select(t => (t.TaskId, t.Outcome)), Is.EqualTo(new[] { ("1", SpecTaskOutcome.Failed), ("2", SpecTaskOutcome.Blocked), ("3", SpecTaskOutcome.Succeeded) }));
            Assert.That(result.Tasks[0].RunOutcome, Is.EqualTo(RunOutcome.AgentFailed));
            Assert.That(result.Tasks[1].Reason, Is.EqualTo("task 1 it depends on failed"));
            Assert.That(result.Succeeded, Is.False);
            Assert.That(File.ReadAllText(Path.Combine(_spec, "tasks.md")), Is.EqualTo(Plan.Replace("[ ] 3.", "[x] 3.", StringComparison.Ordinal)));
        });
    }

    [Test]
    public async Task RunAsync_DoneTasks_AreNotRunAgainAndGiveTheirBranchToDependants()
    {
        var fakes = new AgentRunnerFakes { Agent = WritingTaskFile() };
        await using var services = Compose(fakes);
        var runner = services.GetRequiredService<ISpecRunner>();
        var first = await runner.RunAsync(new SpecRunRequest(_spec) { Only = ["1"] }, CancellationToken.None);
        var events = new Events();

        var second = await runner.RunAsync(new SpecRunRequest(_spec) { Events = events }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Tasks.Select(t => t.Outcome), Is.EqualTo(new[] { SpecTaskOutcome.Succeeded, SpecTaskOutcome.Skipped, SpecTaskOutcome.Skipped }));
            Assert.That(second.Tasks.Select(t => t.Outcome), Is.EqualTo(new[] { SpecTaskOutcome.AlreadyDone, SpecTaskOutcome.Succeeded, SpecTaskOutcome.Succeeded }));
            Assert.That(fakes.Agent.Requests.Count(r => r.Task.TaskId == "1"), Is.EqualTo(1));
            Assert.That(events.Of<SpecTaskStarted>().Single(e => e.TaskId == "2").BaseCommit, Is.EqualTo(first.Tasks[0].CommitId));
        });
    }

    [Test]
    public async Task PlanAsync_FromAndOptional_SelectsAndOrdersInRounds()
    {
        File.WriteAllText(Path.Combine(_spec, "tasks.md"), Plan + "\n- [ ]* 4. Load test\n- [ ] 5. Docs\n");
        await using var services = Compose(new AgentRunnerFakes());

        var plan = await services.GetRequiredService<ISpecRunner>().PlanAsync(new SpecRunRequest(_spec) { From = "2" }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Items.Select(i => i.Action), Is.EqualTo(new[] { SpecPlanAction.Skip, SpecPlanAction.Run, SpecPlanAction.Run, SpecPlanAction.Skip, SpecPlanAction.Run }));
            Assert.That(plan["4"].Reason, Does.Contain("optional"));
            Assert.That(plan.Rounds.Select(r => r.Select(i => i.Task.Id)), Is.EqualTo(new[] { new[] { "2", "3" }, ["5"] }));
            Assert.That(plan["5"].DependsOn, Is.EqualTo(new[] { "3" }), "the optional task left out stands for the task before it");
            Assert.That(plan["2"].Branch, Is.EqualTo("feature/task-shop-2"));
        });
    }

    [Test]
    public async Task PlanAsync_UnknownSelection_FailsNamingTheTasks()
    {
        await using var services = Compose(new AgentRunnerFakes());

        var exception = Assert.ThrowsAsync<SpecFormatException>(() => services.GetRequiredService<ISpecRunner>().PlanAsync(new SpecRunRequest(_spec) { Only = ["9"] }, CancellationToken.None));

        Assert.That(exception!.Message, Does.Contain("there is no task 9 to select (tasks: 1, 2, 3)"));
    }

    private ServiceProvider Compose(AgentRunnerFakes fakes)
    {
        fakes.Slots.AddSlot("slot-1", _folder.CreateFolder("slots/slot-1")).AddSlot("slot-2", _folder.CreateFolder("slots/slot-2"));
        var services = new ServiceCollection();
        services.AddAgentRunner(o => o.WorkDirectory = _folder.Combine("work")).UseFakes(fakes);
        return services.BuildServiceProvider();
    }

    private static FakeCodingAgent WritingTaskFile() => new(async (request, ct) =>
    {
        await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, $"task-{request.Task.TaskId}.txt"), request.Task.Title, ct);
        return new AgentResult(true, 0);
    });

    private sealed class Events : ISpecEventSink
    {
        private readonly ConcurrentQueue<SpecEvent> _events = new();

        public void Publish(SpecEvent specEvent) => _events.Enqueue(specEvent);

        public IEnumerable<T> Of<T>() where T : SpecEvent => _events.OfType<T>();
    }
}

using System.Text.Json.Nodes;
using NecroCode.AgentRunner;

namespace NecroCode.AgentRunner.Abstractions.Tests;

[TestFixture]
public sealed partial class AgentRunnerJsonTests
{
    private static string SamplePath => Path.Combine(TestContext.CurrentContext.TestDirectory, "Samples", "task.sample.json");

    [Test]
    public async Task ReadTaskAsync_DocumentedSample_ReadsEveryField()
    {
        var task = await AgentRunnerJson.ReadTaskAsync(SamplePath, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(task.TaskId, Is.EqualTo("2.1"));
            Assert.That(task.SpecName, Is.EqualTo("user-auth"));
            Assert.That(task.Title, Is.EqualTo("Add password hashing"));
            Assert.That(task.AcceptanceCriteria, Has.Count.EqualTo(2));
            Assert.That(task.Dependencies.Single().Branch, Is.EqualTo("feature/task-user-auth-1.1"));
            Assert.That(task.RequiredSkill, Is.EqualTo("backend"));
            Assert.That(task.SlotPath, Is.EqualTo("/var/lib/necrocode/slots/slot-1"));
            Assert.That(task.SlotId, Is.EqualTo("slot-1"));
            Assert.That(task.BranchName, Is.EqualTo("feature/task-user-auth-2.1"));
            Assert.That(task.TestCommands, Is.EqualTo(new[] { "dotnet test" }));
            Assert.That(task.FailFast, Is.False);
            Assert.That(task.Timeout, Is.EqualTo(TimeSpan.FromMinutes(45)));
            Assert.That(task.PlaybookPath, Is.EqualTo("playbooks/backend-task.yaml"));
            Assert.That(task.Metadata["language"], Is.EqualTo("csharp"));
            Assert.That(task.Budgets?.Attempt, Is.EqualTo(new BudgetLimits { WallTime = TimeSpan.FromMinutes(10), OutputTokens = 20000 }));
            Assert.That(task.Budgets?.Task, Is.EqualTo(new BudgetLimits { CostUsd = 2.5m }));
        });
    }

    [Test]
    public void ParseTask_BadBudgets_EveryProblemNamedByItsPath()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("""
            { "taskId": "1", "specName": "s", "title": "t",
              "budgets": { "attempt": { "outputTokens": 0, "turns": 2.5, "wallTime": "10m", "tokens": 3 }, "run": {}, "task": { "costUsd": "1" } } }
            """));

        Assert.That(ex!.Errors.Select(e => e.Field), Is.EquivalentTo(new[]
        {
            "budgets.attempt.turns", "budgets.attempt.wallTime", "budgets.attempt.tokens", "budgets.run", "budgets.task.costUsd",
        }), ex.Message);
    }

    [Test]
    public void ParseTask_BudgetFigureNotMoreThanZero_RefusedWithItsValue()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("""{ "taskId": "1", "specName": "s", "title": "t", "budgets": { "task": { "costUsd": -1 } } }"""));

        Assert.That(ex!.Errors.Single(), Is.EqualTo(new TaskValidationError("budgets.task.costUsd", "must be more than 0; was -1.")));
    }

    [Test]
    public async Task Serialize_DocumentedSample_RoundTripsToTheSameShape()
    {
        var original = JsonNode.Parse(await File.ReadAllTextAsync(SamplePath));
        var task = AgentRunnerJson.ParseTask(original!.ToJsonString());

        var written = JsonNode.Parse(AgentRunnerJson.Serialize(task));

        Assert.That(JsonNode.DeepEquals(original, written), Is.True, written!.ToJsonString());
    }

    [TestCase("00:00:00")]
    [TestCase("0.00:00:00")]
    public void ParseTask_ZeroTimeout_IsRefusedNamingTheField(string timeout)
    {
        var error = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask($$"""{ "taskId": "1", "specName": "s", "title": "t", "timeout": "{{timeout}}" }"""));

        Assert.That(error!.Errors.Select(e => e.Field), Is.EqualTo(new[] { "timeout" }), error.Message);
    }

    [Test]
    public void ParseTask_MinimalDocument_AppliesDocumentedDefaults()
    {
        var task = AgentRunnerJson.ParseTask("""{ "taskId": "1", "specName": "s", "title": "t" }""");

        Assert.Multiple(() =>
        {
            Assert.That(task.Timeout, Is.EqualTo(TimeSpan.FromMinutes(30)));
            Assert.That(task.FailFast, Is.True);
            Assert.That(task.TestCommands, Is.Empty);
            Assert.That(task.Metadata, Is.Empty);
        });
    }

    [Test]
    public void ParseTask_BaseBranchAndCommit_AreReadAndWrittenBack()
    {
        var task = AgentRunnerJson.ParseTask("""{ "taskId": "2", "specName": "s", "title": "t", "baseBranch": "feature/task-s-1", "baseCommit": "0123abcd" }""");

        Assert.Multiple(() =>
        {
            Assert.That((task.BaseBranch, task.BaseCommit), Is.EqualTo(("feature/task-s-1", "0123abcd")));
            Assert.That(AgentRunnerJson.ParseTask(AgentRunnerJson.Serialize(task)), Is.EqualTo(task).Using<TaskContext>((a, b) => a.BaseBranch == b.BaseBranch && a.BaseCommit == b.BaseCommit));
        });
    }

    [Test]
    public void ParseTask_MetadataNumberAndBoolean_KeptAsText()
    {
        var task = AgentRunnerJson.ParseTask("""{ "taskId": "1", "specName": "s", "title": "t", "metadata": { "priority": 2, "urgent": true, "ratio": 0.5 } }""");

        Assert.That(task.Metadata, Is.EquivalentTo(new Dictionary<string, string> { ["priority"] = "2", ["urgent"] = "true", ["ratio"] = "0.5" }));
    }

    [Test]
    public void ParseTask_UnknownField_RefusedNamingTheField()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("""{ "taskId": "1", "specName": "s", "title": "t", "tiemout": "00:01:00" }"""));

        Assert.That(ex!.Message, Does.Contain("tiemout"));
    }

    [Test]
    public void ParseTask_WrongType_NamesThePath()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("""{ "taskId": "1", "specName": "s", "title": "t", "testCommands": [ 1 ] }"""));

        Assert.That(ex!.Errors.Single().Field, Does.StartWith("testCommands"));
    }

    [Test]
    public void ParseTask_NotJson_ReportsTheDocument()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("not json"));

        Assert.That(ex!.Errors, Has.Count.EqualTo(1));
    }

    [Test]
    public void SerializeLine_RunEvent_RoundTripsWithTypeDiscriminator()
    {
        RunEvent original = new StepFinished("test", StepOutcome.Failed, TimeSpan.FromSeconds(2), "red") { Sequence = 7, RunnerId = "r", TaskId = "1" };

        var line = AgentRunnerJson.SerializeLine(original);
        var back = AgentRunnerJson.DeserializeEvent(line);

        Assert.Multiple(() =>
        {
            Assert.That(line, Does.StartWith("""{"type":"step.finished","""));
            Assert.That(line, Does.Not.Contain("\n"));
            Assert.That(back, Is.EqualTo(original));
        });
    }
}

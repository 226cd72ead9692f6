using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Tests.Playbooks;

[TestFixture]
public sealed class PlaybookStepTests
{
    private static readonly PlaybookStep ElseStep = new() { Name = "other", Run = "true" };

    private static ConditionContext Context(bool failed)
    {
        var context = new ConditionContext(new TaskContext { TaskId = "1", SpecName = "s", Title = "t", Metadata = new Dictionary<string, string> { ["kind"] = "tests-only" } }, new Dictionary<string, string>());
        if (failed)
        {
            context.RecordOutcome("test", StepOutcome.Failed);
        }

        return context;
    }

    private static PlaybookStep Step(string? condition, bool always = false, bool withElse = false) => new()
    {
        Name = "step",
        Run = "true",
        If = condition is null ? null : PlaybookCondition.Parse(condition),
        Always = always,
        Else = withElse ? [ElseStep] : [],
    };

    [TestCase(null, false, false, false, "Run")]
    [TestCase(null, false, false, true, "Skip")]
    [TestCase(null, true, false, true, "Run")]
    [TestCase("task.metadata.kind == 'tests-only'", false, false, false, "Run")]
    [TestCase("task.metadata.kind != 'tests-only'", false, false, false, "Skip")]
    [TestCase("task.metadata.kind != 'tests-only'", false, true, false, "RunElse")]
    [TestCase("task.metadata.kind == 'tests-only'", false, true, true, "Skip")]
    [TestCase("task.metadata.kind == 'tests-only'", true, false, true, "Run")]
    [TestCase("task.metadata.kind != 'tests-only'", true, true, true, "RunElse")]
    [TestCase("failure()", false, false, true, "Run")]
    [TestCase("failure()", false, false, false, "Skip")]
    [TestCase("always()", false, false, true, "Run")]
    [TestCase("success()", false, true, true, "RunElse")]
    public void Decide_Table(string? condition, bool always, bool withElse, bool failed, string expected) =>
        Assert.That(Step(condition, always, withElse).Decide(Context(failed)), Is.EqualTo(Enum.Parse<StepDecision>(expected)));

    [Test]
    public void RecordOutcome_ContinueOnError_DoesNotFailTheRun()
    {
        var context = Context(failed: false);

        context.RecordOutcome("lint", StepOutcome.Failed, continueOnError: true);
        context.RecordOutcome("skipped", StepOutcome.Skipped);

        Assert.Multiple(() =>
        {
            Assert.That(context.HasFailed, Is.False);
            Assert.That(context.GetStepOutcome("lint"), Is.EqualTo(StepOutcome.Failed));
            Assert.That(context.GetStepOutcome("never"), Is.Null);
        });
    }

    [TestCase(StepOutcome.Failed)]
    [TestCase(StepOutcome.TimedOut)]
    [TestCase(StepOutcome.Cancelled)]
    public void RecordOutcome_Failure_FailsTheRun(StepOutcome outcome)
    {
        var context = Context(failed: false);

        context.RecordOutcome("x", outcome);

        Assert.That(context.HasFailed, Is.True);
    }
}

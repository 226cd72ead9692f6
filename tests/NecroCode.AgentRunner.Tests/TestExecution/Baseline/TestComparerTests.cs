using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Tests.TestExecution.Baseline;

[TestFixture]
public sealed class TestComparerTests
{
    private static readonly IReadOnlySet<TestCaseClass> Default = TestFailOn.Parse(new TestRunnerOptions().FailOn);

    private static TestRunResult Run(TestOutcome outcome, params (string Name, TestCaseOutcome Outcome)[] cases) =>
        new(outcome, [new TestCommandResult("pytest", outcome, outcome == TestOutcome.Passed ? 0 : 1, TimeSpan.Zero, "", "")], TimeSpan.Zero)
        {
            Cases = [.. cases.Select(c => new TestCaseResult("suite", c.Name, c.Outcome) { Message = c.Outcome == TestCaseOutcome.Failed ? $"{c.Name} broke" : null })],
        };

    private static TestCaseClass ClassOf(TestComparison comparison, string name) => comparison.Tests.Single(t => t.Name == name).Class;

    [Test]
    public void Compare_EveryCaseClass_ClassifiedAndOnlyRegressionsAndNewFailuresBlock()
    {
        var baseline = Run(TestOutcome.Failed, ("passing", TestCaseOutcome.Passed), ("fixed", TestCaseOutcome.Failed), ("regressed", TestCaseOutcome.Passed),
            ("still", TestCaseOutcome.Failed), ("removed", TestCaseOutcome.Passed), ("skipped", TestCaseOutcome.Passed));
        var after = Run(TestOutcome.Failed, ("passing", TestCaseOutcome.Passed), ("fixed", TestCaseOutcome.Passed), ("regressed", TestCaseOutcome.Failed),
            ("still", TestCaseOutcome.Failed), ("new-pass", TestCaseOutcome.Passed), ("new-fail", TestCaseOutcome.Failed), ("skipped", TestCaseOutcome.Skipped));

        var comparison = TestComparer.Compare("abc", baseline, after, Default);

        Assert.Multiple(() =>
        {
            Assert.That(ClassOf(comparison, "suite::passing"), Is.EqualTo(TestCaseClass.Passing));
            Assert.That(ClassOf(comparison, "suite::fixed"), Is.EqualTo(TestCaseClass.Fixed));
            Assert.That(ClassOf(comparison, "suite::regressed"), Is.EqualTo(TestCaseClass.Regressed));
            Assert.That(ClassOf(comparison, "suite::still"), Is.EqualTo(TestCaseClass.StillFailing));
            Assert.That(ClassOf(comparison, "suite::new-pass"), Is.EqualTo(TestCaseClass.NewPassing));
            Assert.That(ClassOf(comparison, "suite::new-fail"), Is.EqualTo(TestCaseClass.NewFailing));
            Assert.That(ClassOf(comparison, "suite::skipped"), Is.EqualTo(TestCaseClass.Skipped));
            Assert.That(ClassOf(comparison, "suite::removed"), Is.EqualTo(TestCaseClass.Removed));
            Assert.That(comparison.Blocking.Select(t => t.Name), Is.EquivalentTo(new[] { "suite::regressed", "suite::new-fail", "pytest" }));
            Assert.That(comparison.Tests.Single(t => t.Name == "suite::regressed").Message, Is.EqualTo("regressed broke"));
        });
    }

    [Test]
    public void Compare_OnlyPreexistingFailures_Accepted()
    {
        var baseline = Run(TestOutcome.Failed, ("a", TestCaseOutcome.Passed), ("b", TestCaseOutcome.Failed));
        var after = Run(TestOutcome.Failed, ("a", TestCaseOutcome.Passed), ("b", TestCaseOutcome.Failed));

        var comparison = TestComparer.Compare("abc", baseline, after, Default);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Accepted, Is.True);
            Assert.That(comparison.Tests.Single(t => t.IsCommand).Class, Is.EqualTo(TestCaseClass.StillFailing));
            Assert.That(comparison.Counts, Is.EquivalentTo(new Dictionary<TestCaseClass, int> { [TestCaseClass.Passing] = 1, [TestCaseClass.StillFailing] = 1 }));
        });
    }

    [Test]
    public void Compare_FailOnStillFailing_PreexistingFailureBlocks()
    {
        var baseline = Run(TestOutcome.Failed, ("b", TestCaseOutcome.Failed));

        var comparison = TestComparer.Compare("abc", baseline, baseline, TestFailOn.Parse("Regressed;StillFailing"));

        Assert.That(comparison.Blocking.Select(t => t.Name), Is.EquivalentTo(new[] { "suite::b", "pytest" }));
    }

    [TestCase(TestOutcome.Passed, TestOutcome.Failed, TestCaseClass.Regressed, true)]
    [TestCase(TestOutcome.Failed, TestOutcome.Failed, TestCaseClass.StillFailing, false)]
    [TestCase(TestOutcome.Failed, TestOutcome.Passed, TestCaseClass.Fixed, false)]
    [TestCase(TestOutcome.Passed, TestOutcome.Passed, TestCaseClass.Passing, false)]
    [TestCase(TestOutcome.Failed, TestOutcome.TimedOut, TestCaseClass.Regressed, true)]
    public void Compare_NoCases_ExitCodesCompared(TestOutcome before, TestOutcome after, TestCaseClass expected, bool blocking)
    {
        var comparison = TestComparer.Compare("abc", Run(before), Run(after), Default);

        Assert.That(comparison.Tests.Single(), Is.EqualTo(new ClassifiedTest("pytest", expected, blocking)).Using<ClassifiedTest>((a, b) => a.Name == b.Name && a.Class == b.Class && a.Blocking == b.Blocking));
    }

    [Test]
    public void Compare_CommandNotInBaseline_NewFailing()
    {
        var after = new TestRunResult(TestOutcome.Failed, [new TestCommandResult("make lint", TestOutcome.Failed, 2, TimeSpan.Zero, "", "")], TimeSpan.Zero);

        var comparison = TestComparer.Compare("abc", Run(TestOutcome.Passed), after, Default);

        Assert.That(comparison.Tests.Single().Class, Is.EqualTo(TestCaseClass.NewFailing));
    }

    [Test]
    public void Compare_BaselineCasesMissingAfterAndCommandStillFails_CommandRegressed()
    {
        // The base had a pre-existing failure; the change broke the build, so no results were written at all.
        var baseline = Run(TestOutcome.Failed, ("a", TestCaseOutcome.Passed), ("b", TestCaseOutcome.Failed));

        var comparison = TestComparer.Compare("abc", baseline, Run(TestOutcome.Failed), Default);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Accepted, Is.False);
            var command = comparison.Tests.Single(t => t.IsCommand);
            Assert.That(command.Class, Is.EqualTo(TestCaseClass.Regressed));
            Assert.That(command.Message, Does.Contain("2 test case(s) of the baseline were not reported"));
        });
    }

    [Test]
    public void MarkFlaky_FailurePassesOnRerun_FlakyAndNotBlocking()
    {
        var baseline = Run(TestOutcome.Passed, ("a", TestCaseOutcome.Passed), ("b", TestCaseOutcome.Passed));
        var after = Run(TestOutcome.Failed, ("a", TestCaseOutcome.Failed), ("b", TestCaseOutcome.Failed));
        var rerun = Run(TestOutcome.Failed, ("a", TestCaseOutcome.Passed), ("b", TestCaseOutcome.Failed));

        var comparison = TestComparer.MarkFlaky(TestComparer.Compare("abc", baseline, after, Default), rerun, Default);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Rerun, Is.True);
            Assert.That(ClassOf(comparison, "suite::a"), Is.EqualTo(TestCaseClass.Flaky));
            Assert.That(ClassOf(comparison, "suite::b"), Is.EqualTo(TestCaseClass.Regressed));
            Assert.That(comparison.Blocking.Select(t => t.Name), Is.EquivalentTo(new[] { "suite::b", "pytest" }));
        });
    }

    [Test]
    public void MarkFlaky_CommandPassesOnRerun_CommandFlaky()
    {
        var comparison = TestComparer.MarkFlaky(TestComparer.Compare("abc", Run(TestOutcome.Passed), Run(TestOutcome.Failed), Default), Run(TestOutcome.Passed), Default);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Tests.Single().Class, Is.EqualTo(TestCaseClass.Flaky));
            Assert.That(comparison.Accepted, Is.True);
        });
    }

    [TestCase(TestOutcome.TimedOut, false)]
    [TestCase(TestOutcome.Error, false)]
    [TestCase(TestOutcome.Failed, true)]
    public void IsUsable_CommandOutcome_OnlyExitCodesServe(TestOutcome outcome, bool usable)
    {
        Assert.That(TestComparer.IsUsable(Run(outcome)), Is.EqualTo(usable));
    }
}

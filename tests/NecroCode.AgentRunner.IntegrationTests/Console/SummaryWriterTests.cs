using NecroCode.AgentRunner.Cli;

namespace NecroCode.AgentRunner.IntegrationTests.Console;

[TestFixture]
public sealed class SummaryWriterTests
{
    private static RunnerResult Result(params StepResult[] steps) => new()
    {
        TaskId = "1.1",
        SpecName = "demo",
        RunnerId = "runner-1",
        Outcome = RunOutcome.Succeeded,
        State = RunnerState.Completed,
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(10),
        Steps = steps,
    };

    [Test]
    public void Write_StepsRanProcesses_PrintsPeakMemoryAndCpuTimePerStepAndForTheRun()
    {
        // Arrange
        var result = Result(
            new StepResult("register", StepOutcome.Succeeded, TimeSpan.FromSeconds(0.1)),
            new StepResult("implement", StepOutcome.Succeeded, TimeSpan.FromSeconds(5)) { PeakMemoryBytes = 300L * 1024 * 1024, CpuTime = TimeSpan.FromSeconds(3.25) },
            new StepResult("test", StepOutcome.Succeeded, TimeSpan.FromSeconds(2)) { PeakMemoryBytes = 50L * 1024 * 1024, CpuTime = TimeSpan.FromSeconds(1.5) });
        using var writer = new StringWriter();

        // Act
        SummaryWriter.Write(writer, result);

        // Assert
        var lines = writer.ToString().Split(Environment.NewLine);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.One.EqualTo("Resources peak memory 300.0 MiB, CPU time 4.8 s"));
            Assert.That(lines, Has.One.EqualTo("          implement          peak memory 300.0 MiB, CPU time 3.3 s"));
            Assert.That(lines, Has.One.EqualTo("          test               peak memory 50.0 MiB, CPU time 1.5 s"));
            Assert.That(lines, Has.None.Contains("register"));
        });
    }

    [Test]
    public void Write_NoProcessMeasured_NoResourcesLine()
    {
        // Arrange
        using var writer = new StringWriter();

        // Act
        SummaryWriter.Write(writer, Result(new StepResult("register", StepOutcome.Succeeded, TimeSpan.FromSeconds(0.1))));

        // Assert
        Assert.That(writer.ToString(), Does.Not.Contain("Resources"));
    }

    [Test]
    public void Write_TestsComparedWithTheBaseline_PrintsTheCountsAndWhatFailsTheRun()
    {
        // Arrange
        var comparison = new TestComparison("0123456789abcdef", TestOutcome.Failed,
        [
            new ClassifiedTest("calc::adds", TestCaseClass.Passing, false),
            new ClassifiedTest("calc::multiplies", TestCaseClass.Regressed, true),
            new ClassifiedTest("calc::divides", TestCaseClass.StillFailing, false),
        ]) { BaselineCached = true };
        var tests = new TestRunResult(TestOutcome.Failed, [new TestCommandResult("pytest", TestOutcome.Failed, 1, TimeSpan.FromSeconds(1), "", "")], TimeSpan.FromSeconds(1)) { Comparison = comparison };
        using var writer = new StringWriter();

        // Act
        SummaryWriter.Write(writer, Result() with { Tests = tests });

        // Assert
        var lines = writer.ToString().Split(Environment.NewLine);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.One.EqualTo("Baseline  0123456789ab (cached): 1 passing, 1 regressed, 1 still failing"));
            Assert.That(lines, Has.One.EqualTo("          regressed     calc::multiplies"));
            Assert.That(lines, Has.None.Contains("calc::divides"));
        });
    }
}

using NecroCode.AgentRunner.Prompts;

namespace NecroCode.AgentRunner.Tests.Prompts;

[TestFixture]
public sealed class FailureOutputTrimmerTests
{
    [Test]
    public void Trim_ShortOutput_Unchanged()
    {
        Assert.That(FailureOutputTrimmer.Trim("all good\n", 1000), Is.EqualTo("all good\n"));
    }

    [Test]
    public void Trim_LongOutput_KeepsFailureLinesAndTheEndWithinLimit()
    {
        var lines = Enumerable.Range(0, 5000).Select(i => $"noise line {i}").ToList();
        lines.Insert(100, "src/Calc.cs:12:5: error CS1002: ; expected");
        lines.Add("Tests: 1 failed, 9 passed");
        var output = string.Join('\n', lines);

        var trimmed = FailureOutputTrimmer.Trim(output, 2000);

        Assert.Multiple(() =>
        {
            Assert.That(trimmed, Has.Length.LessThanOrEqualTo(2000));
            Assert.That(trimmed, Does.Contain("error CS1002"));
            Assert.That(trimmed, Does.EndWith("Tests: 1 failed, 9 passed"));
            Assert.That(trimmed, Does.Contain("output trimmed"));
        });
    }

    [Test]
    public void Trim_TestRun_NamesTheFailingCommandOnly()
    {
        var run = new TestRunResult(TestOutcome.Failed,
        [
            new TestCommandResult("lint", TestOutcome.Passed, 0, TimeSpan.Zero, "lint ok", ""),
            new TestCommandResult("make test", TestOutcome.Failed, 2, TimeSpan.Zero, "FAIL test_add", "boom"),
        ], TimeSpan.Zero);

        var text = FailureOutputTrimmer.Trim(run, 1000);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("$ make test").And.Contain("exit code 2").And.Contain("FAIL test_add").And.Contain("boom"));
            Assert.That(text, Does.Not.Contain("lint ok"));
        });
    }
}

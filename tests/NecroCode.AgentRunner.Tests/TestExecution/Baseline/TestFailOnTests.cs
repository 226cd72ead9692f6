using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Tests.TestExecution.Baseline;

[TestFixture]
public sealed class TestFailOnTests
{
    [Test]
    public void TryParse_NamesAnyCaseAndSeparator_Parsed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TestFailOn.TryParse("regressed, Flaky;REMOVED", out var classes, out var error), Is.True);
            Assert.That(classes, Is.EquivalentTo(new[] { TestCaseClass.Regressed, TestCaseClass.Flaky, TestCaseClass.Removed }));
            Assert.That(error, Is.Null);
        });
    }

    [TestCase("Fixed")]
    [TestCase("Regresed")]
    [TestCase("2")]
    public void TryParse_NotAFailingClass_ErrorNamesItAndTheChoices(string value)
    {
        Assert.Multiple(() =>
        {
            Assert.That(TestFailOn.TryParse(value, out _, out var error), Is.False);
            Assert.That(error, Does.Contain($"'{value}'").And.Contain("Regressed, StillFailing, NewFailing, Flaky, Removed"));
        });
    }

    [Test]
    public void Validate_BadFailOnAndNoGlob_BothReported()
    {
        var result = new TestRunnerOptionsRulesValidator().Validate(null, new TestRunnerOptions { FailOn = "Passing", Results = " ; " });

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Has.Some.Contains("NecroCode:Tests:FailOn: 'Passing'"));
            Assert.That(result.Failures, Has.Some.Contains("NecroCode:Tests:Results names no glob"));
        });
    }
}

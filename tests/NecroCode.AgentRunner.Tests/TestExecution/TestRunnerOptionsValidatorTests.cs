using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Tests.TestExecution;

[TestFixture]
public sealed class TestRunnerOptionsValidatorTests
{
    [Test]
    public void Validate_EmptyShell_Fails()
    {
        var result = new TestRunnerOptionsValidator().Validate(null, new TestRunnerOptions { Shell = "" });

        Assert.That(result.FailureMessage, Does.Contain(nameof(TestRunnerOptions.Shell)));
    }

    [Test]
    public void Validate_Defaults_Succeed()
    {
        var result = new TestRunnerOptionsValidator().Validate(null, new TestRunnerOptions());

        Assert.That(result.Succeeded, Is.True);
    }
}

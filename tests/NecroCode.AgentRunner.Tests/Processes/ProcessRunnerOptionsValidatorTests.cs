using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Tests.Processes;

[TestFixture]
public sealed class ProcessRunnerOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeed()
    {
        var result = new ProcessRunnerOptionsValidator().Validate(null, new ProcessRunnerOptions());

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void Validate_WarningThresholdAboveOne_Fails()
    {
        var result = new ProcessRunnerOptionsValidator().Validate(null, new ProcessRunnerOptions { LimitWarningThreshold = 1.5 });

        Assert.That(result.FailureMessage, Does.Contain(nameof(ProcessRunnerOptions.LimitWarningThreshold)));
    }

    [Test]
    public void Validate_NegativeGracePeriod_Fails()
    {
        var result = new ProcessRunnerOptionsValidator().Validate(null, new ProcessRunnerOptions { TerminateGracePeriod = TimeSpan.FromSeconds(-1) });

        Assert.That(result.FailureMessage, Does.Contain(nameof(ProcessRunnerOptions.TerminateGracePeriod)));
    }
}

using NecroCode.AgentRunner.Concurrency;

namespace NecroCode.AgentRunner.Tests.Concurrency;

[TestFixture]
public sealed class ConcurrencyOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds()
    {
        var result = new ConcurrencyOptionsValidator().Validate(null, new ConcurrencyOptions());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(1025)]
    public void Validate_MaxParallelRunsOutOfRange_FailsNamingIt(int max)
    {
        var result = new ConcurrencyOptionsValidator().Validate(null, new ConcurrencyOptions { MaxParallelRuns = max });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(nameof(ConcurrencyOptions.MaxParallelRuns)));
    }

    [Test]
    public void Validate_EmptyLockFolder_FailsNamingIt()
    {
        var result = new ConcurrencyOptionsValidator().Validate(null, new ConcurrencyOptions { LockFolder = string.Empty });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(nameof(ConcurrencyOptions.LockFolder)));
    }
}

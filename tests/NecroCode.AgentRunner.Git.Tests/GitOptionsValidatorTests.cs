namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
public sealed class GitOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds() =>
        Assert.That(new GitOptionsValidator().Validate(null, new GitOptions()).Succeeded, Is.True);

    [Test]
    public void Validate_ZeroPushAttempts_FailsNamingField()
    {
        var result = new GitOptionsValidator().Validate(null, new GitOptions { PushAttempts = 0 });

        Assert.That(result.FailureMessage, Does.Contain("PushAttempts"));
    }

    [Test]
    public void Validate_EmptyAuthor_Fails() =>
        Assert.That(new GitOptionsValidator().Validate(null, new GitOptions { AuthorName = "" }).Failed, Is.True);

    [Test]
    public void Validate_NegativeRetryDelay_Fails() =>
        Assert.That(new GitOptionsValidator().Validate(null, new GitOptions { RetryBaseDelay = TimeSpan.FromSeconds(-1) }).Failed, Is.True);

    [Test]
    public void Validate_EmptyTokenVariable_FailsNamingField()
    {
        var result = new GitOptionsValidator().Validate(null, new GitOptions { TokenVariable = "" });

        Assert.That(result.FailureMessage, Does.Contain("TokenVariable"));
    }
}

namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
public sealed class GitOptionsPatternValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds() =>
        Assert.That(new GitOptionsPatternValidator().Validate(null, new GitOptions()).Succeeded, Is.True);

    [Test]
    public void Validate_EmptyProtectedPattern_FailsNamingField()
    {
        var options = new GitOptions();
        options.ProtectedBranches.Add(" ");

        var result = new GitOptionsPatternValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("ProtectedBranches"));
    }

    [Test]
    public void Validate_AngleBracketInEmail_Fails()
    {
        var result = new GitOptionsPatternValidator().Validate(null, new GitOptions { AuthorEmail = "a<b@c" });

        Assert.That(result.FailureMessage, Does.Contain("AuthorEmail"));
    }

    [Test]
    public void Validate_ColonInUsername_FailsNamingField()
    {
        var result = new GitOptionsPatternValidator().Validate(null, new GitOptions { Username = "user:x" });

        Assert.That(result.FailureMessage, Does.Contain("Username"));
    }

    [Test]
    public void Validate_BlankTokenFile_FailsNamingField()
    {
        var result = new GitOptionsPatternValidator().Validate(null, new GitOptions { TokenFile = " " });

        Assert.That(result.FailureMessage, Does.Contain("TokenFile"));
    }
}

namespace NecroCode.AgentRunner.Docker.Tests;

[TestFixture]
public sealed class DockerOptionsPathsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds()
    {
        var result = new DockerOptionsPathsValidator().Validate(null, new DockerOptions());

        Assert.That(result.Succeeded, Is.True);
    }

    [Test]
    public void Validate_RelativeExtraMount_FailsNamingTheMount()
    {
        var options = new DockerOptions { ExtraMounts = { new DockerMount { Source = "relative/origin.git" } } };

        var result = new DockerOptionsPathsValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("ExtraMounts:0:Source"));
    }

    [Test]
    public void Validate_EndpointNotAUri_FailsNamingTheEndpoint()
    {
        var options = new DockerOptions { Endpoint = "docker.sock" };

        var result = new DockerOptionsPathsValidator().Validate(null, options);

        Assert.That(result.FailureMessage, Does.Contain("Endpoint"));
    }
}

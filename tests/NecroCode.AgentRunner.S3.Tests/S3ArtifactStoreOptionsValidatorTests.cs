using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.S3.Tests;

[TestFixture]
public sealed class S3ArtifactStoreOptionsValidatorTests
{
    [Test]
    public void Validate_BucketOnly_Succeeds() =>
        Assert.That(Validate(new S3ArtifactStoreOptions { Bucket = "artifacts" }).Succeeded, Is.True);

    [Test]
    public void Validate_LocalServerWithPrefix_Succeeds() =>
        Assert.That(Validate(new S3ArtifactStoreOptions { Bucket = "necro.artifacts-1", ServiceUrl = "http://127.0.0.1:9000", KeyPrefix = "team/runs" }).Succeeded, Is.True);

    [Test]
    public void Validate_BucketMissing_FailsNamingIt() =>
        Assert.That(Validate(new S3ArtifactStoreOptions()).FailureMessage, Does.Contain("Bucket"));

    [TestCase("ab")]
    [TestCase("Artifacts")]
    [TestCase("under_score")]
    [TestCase("-leading")]
    [TestCase("two..dots")]
    public void Validate_NotABucketName_FailsNamingIt(string bucket) =>
        Assert.That(Validate(new S3ArtifactStoreOptions { Bucket = bucket }).FailureMessage, Does.Contain($"Bucket '{bucket}' is not a bucket name"));

    [TestCase("ftp://host")]
    [TestCase("localhost:9000")]
    [TestCase("http://host/?x=1")]
    public void Validate_ServiceUrlNotHttp_FailsNamingIt(string url) =>
        Assert.That(Validate(new S3ArtifactStoreOptions { Bucket = "artifacts", ServiceUrl = url }).FailureMessage, Does.Contain($"ServiceUrl '{url}'"));

    [Test]
    public void Validate_ServiceUrlWithCredentials_FailsWithoutRepeatingThem()
    {
        var result = Validate(new S3ArtifactStoreOptions { Bucket = "artifacts", ServiceUrl = "http://admin:hunter2@127.0.0.1:9000" });

        Assert.Multiple(() =>
        {
            Assert.That(result.FailureMessage, Does.Contain("must not carry credentials"));
            Assert.That(result.FailureMessage, Does.Not.Contain("hunter2"));
        });
    }

    [TestCase("/leading")]
    [TestCase("trailing/")]
    [TestCase("a//b")]
    [TestCase("a/../b")]
    public void Validate_BadKeyPrefix_FailsNamingIt(string prefix) =>
        Assert.That(Validate(new S3ArtifactStoreOptions { Bucket = "artifacts", KeyPrefix = prefix }).FailureMessage, Does.Contain($"KeyPrefix '{prefix}'"));

    [Test]
    public void Validate_PartSmallerThanS3Allows_Fails() =>
        Assert.That(Validate(new S3ArtifactStoreOptions { Bucket = "artifacts", PartSizeBytes = 1024 * 1024 }).FailureMessage, Does.Contain("PartSizeBytes"));

    [Test]
    public void Validate_LinkLifetimeOverSevenDays_Fails() =>
        Assert.That(Validate(new S3ArtifactStoreOptions { Bucket = "artifacts", DownloadLinkLifetime = TimeSpan.FromDays(8) }).FailureMessage, Does.Contain("DownloadLinkLifetime"));

    [Test]
    public void Validate_SameSecretForBothKeys_Fails() =>
        Assert.That(Validate(new S3ArtifactStoreOptions { Bucket = "artifacts", AccessKeySecret = "s3", SecretKeySecret = "s3" }).FailureMessage, Does.Contain("two different secrets"));

    [Test]
    public void Validate_SecretNameWithSlash_Fails() =>
        Assert.That(Validate(new S3ArtifactStoreOptions { Bucket = "artifacts", SecretKeySecret = "s3/secret" }).FailureMessage, Does.Contain("SecretKeySecret 's3/secret' is not a secret name"));

    private static ValidateOptionsResult Validate(S3ArtifactStoreOptions options)
    {
        var results = new IValidateOptions<S3ArtifactStoreOptions>[] { new S3ArtifactStoreOptionsValidator(), new S3ArtifactStoreOptionsConsistencyValidator() }
            .Select(v => v.Validate(null, options))
            .ToList();
        var failures = results.Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

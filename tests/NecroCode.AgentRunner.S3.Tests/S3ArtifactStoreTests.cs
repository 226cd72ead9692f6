using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace NecroCode.AgentRunner.S3.Tests;

[TestFixture(S3TestTarget.Local)]
[TestFixture(S3TestTarget.Real)]
public sealed class S3ArtifactStoreTests(string kind) : S3TargetFixture(kind)
{
    private static readonly TaskKey Task1 = new("billing", "task-7");
    [Test]
    public async Task StoreAsync_Artifact_KeyLaidOutBySpecTaskAndRunnerUnderThePrefix()
    {
        using var store = Target.CreateStore();

        var uri = await StoreTextAsync(store, new ArtifactKey(Task1, "runner-a", "diff.patch"), "+x\n");

        Assert.That(uri, Is.EqualTo(new Uri($"s3://{Target.Bucket}/{Target.Prefix}/billing/task-7/runner-a/diff.patch")));
    }

    [Test]
    public async Task StoreAsync_Artifact_ObjectCarriesContentTypeAndSha256()
    {
        using var store = Target.CreateStore();
        const string Content = "{\"passed\":3,\"failed\":0}";

        await StoreTextAsync(store, new ArtifactKey(Task1, "runner-b", "test-results.json"), Content);

        var metadata = await Target.Client.GetObjectMetadataAsync(Target.Bucket, $"{Target.Prefix}/billing/task-7/runner-b/test-results.json");
        Assert.Multiple(() =>
        {
            Assert.That(metadata.Headers.ContentType, Is.EqualTo("application/json"));
            Assert.That(metadata.Metadata["x-amz-meta-sha256"], Is.EqualTo(Sha256(Encoding.UTF8.GetBytes(Content))));
            Assert.That(metadata.ContentLength, Is.EqualTo(Content.Length));
        });
    }

    [Test]
    public async Task StoreAsync_ArtifactAboveTheThreshold_UploadedInPartsWithTheSameMetadata()
    {
        var minimum = S3ArtifactStoreOptions.MinPartSizeBytes;
        var logger = new FakeLogger<S3ArtifactStore>();
        using var store = Target.CreateStore(Target.Options(o => (o.MultipartThresholdBytes, o.PartSizeBytes) = (minimum, minimum)), logger: logger);
        var content = new byte[(2 * minimum) + 1000];
        new Random(5).NextBytes(content);

        using (var stream = new MemoryStream(content))
        {
            await store.StoreAsync(new ArtifactKey(Task1, "runner-c", "run.jsonl"), stream, CancellationToken.None);
        }

        var metadata = await Target.Client.GetObjectMetadataAsync(Target.Bucket, $"{Target.Prefix}/billing/task-7/runner-c/run.jsonl");
        Assert.Multiple(() =>
        {
            Assert.That(logger.Collector.GetSnapshot().Single(r => r.Id.Id == 6300).GetStructuredStateValue("Requests"), Is.EqualTo("3"), "parts sent");
            Assert.That(metadata.ContentLength, Is.EqualTo(content.Length));
            Assert.That(metadata.Headers.ContentType, Is.EqualTo("application/x-ndjson"));
            Assert.That(metadata.Metadata["x-amz-meta-sha256"], Is.EqualTo(Sha256(content)));
        });
    }

    [TestCase(true, TestName = "StoreAsync_FileAboveTheThresholdFromAPosition_PartsReadBackByteForByte")]
    [TestCase(false, TestName = "StoreAsync_SeekableStreamAboveTheThresholdFromAPosition_PartsReadBackByteForByte")]
    public async Task StoreAsync_AboveTheThresholdFromAPosition_PartsReadBackByteForByte(bool fromFile)
    {
        // A file's parts are read by position, three at once; another stream's one at a time. Both from position 1000.
        const int Skipped = 1000;
        var minimum = S3ArtifactStoreOptions.MinPartSizeBytes;
        var logger = new FakeLogger<S3ArtifactStore>();
        using var store = Target.CreateStore(Target.Options(o => (o.MultipartThresholdBytes, o.PartSizeBytes, o.MaxConcurrentParts) = (minimum, minimum, 3)), logger: logger);
        var content = new byte[Skipped + (3 * minimum) + 17];
        new Random(9).NextBytes(content);
        var expected = Sha256(content[Skipped..]);
        using var folder = new TempFolder("necrocode-s3-parts-");
        var path = folder.Combine("run.jsonl");
        await File.WriteAllBytesAsync(path, content);
        var key = new ArtifactKey(Task1, fromFile ? "runner-k" : "runner-l", "run.jsonl");

        await using (var stream = fromFile ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous) : (Stream)new MemoryStream(content, writable: false))
        {
            stream.Position = Skipped;
            await store.StoreAsync(key, stream, CancellationToken.None);
        }

        using var stored = await Target.Client.GetObjectAsync(Target.Bucket, $"{Target.Prefix}/billing/task-7/{key.RunnerId}/run.jsonl");
        using var body = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(body);
        Assert.Multiple(() =>
        {
            Assert.That(logger.Collector.GetSnapshot().Single(r => r.Id.Id == 6300).GetStructuredStateValue("Requests"), Is.EqualTo("4"), "parts sent");
            Assert.That(body.Length, Is.EqualTo(content.Length - Skipped), "bytes stored");
            Assert.That(Sha256(body.ToArray()), Is.EqualTo(expected), "SHA-256 of what was stored");
            Assert.That(stored.Metadata["x-amz-meta-sha256"], Is.EqualTo(expected));
        });
    }

    [TestCase(64L * 1024 * 1024, TestName = "StoreAsync_200MbRunLogInParts_ManagedAllocationStaysUnder64Mb")]
    [TestCase(1024L * 1024 * 1024, TestName = "StoreAsync_200MbRunLogInOneRequest_ManagedAllocationStaysUnder64Mb")]
    [NonParallelizable]
    public async Task StoreAsync_200MbRunLog_ManagedAllocationStaysUnder64Mb(long multipartThreshold)
    {
        const long Size = 200L * 1024 * 1024;
        using var folder = new TempFolder("necrocode-s3-large-");
        var path = folder.Combine("run.jsonl");
        var expectedSha = await RunLogFile.WriteAsync(path, Size);
        using var store = Target.CreateStore(Target.Options(o => o.MultipartThresholdBytes = multipartThreshold));
        var key = new ArtifactKey(Task1, "runner-d", "run.jsonl");

        long allocated;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await store.StoreAsync(key, file, CancellationToken.None);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        TestContext.Progress.WriteLine($"Storing 200 MiB allocated {allocated / (1024.0 * 1024.0):0.0} MiB of managed memory.");
        var metadata = await Target.Client.GetObjectMetadataAsync(Target.Bucket, $"{Target.Prefix}/billing/task-7/runner-d/run.jsonl");
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.LessThan(64L * 1024 * 1024), "managed bytes allocated while storing 200 MiB");
            Assert.That(metadata.ContentLength, Is.EqualTo(Size));
            Assert.That(metadata.Metadata["x-amz-meta-sha256"], Is.EqualTo(expectedSha));
        });
    }

    [Test]
    public async Task StoreAsync_BucketMissing_FailsNamingBucketAndKeyWithoutRetrying()
    {
        var logger = new FakeLogger<S3ArtifactStore>();
        var missing = "necrocode-missing-" + Guid.NewGuid().ToString("N")[..12];
        using var store = Target.CreateStore(Target.Options(o => o.Bucket = missing), logger: logger);

        var ex = Assert.ThrowsAsync<ArtifactStoreException>(() => StoreTextAsync(store, new ArtifactKey(Task1, "runner-e", "diff.patch"), "x"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain($"s3://{missing}/{Target.Prefix}/billing/task-7/runner-e/diff.patch"));
            Assert.That(ex.Message, Does.Contain("does not exist"));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(logger.Collector.GetSnapshot().Where(r => r.Id.Id == 6301), Is.Empty, "no retries");
        });
    }

    [Test]
    public async Task StoreAsync_WrongCredentials_FailsNamingBucketAndKeyButNeverTheSecret()
    {
        // s3rver does not check signatures, only whether it knows the access key; a real endpoint checks both.
        const string WrongSecret = "wrong-secret-5f1e9b7c3a";
        var credentials = Target.IsLocal ? Target.Credentials(secretKey: WrongSecret, accessKey: "UNKNOWNKEY") : Target.Credentials(secretKey: WrongSecret);
        var logger = new FakeLogger<S3ArtifactStore>();
        using var store = Target.CreateStore(credentials: credentials, logger: logger);

        var ex = Assert.ThrowsAsync<ArtifactStoreException>(() => StoreTextAsync(store, new ArtifactKey(Task1, "runner-f", "diff.patch"), "x"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain($"s3://{Target.Bucket}/{Target.Prefix}/billing/task-7/runner-f/diff.patch"));
            Assert.That(ex.Message, Does.Contain("refused").And.Contain("s3-secret-key"));
            Assert.That(ex.ToString(), Does.Not.Contain(WrongSecret));
            Assert.That(ex.IsTransient, Is.False);
            Assert.That(logger.Collector.GetSnapshot().Where(r => r.Id.Id == 6301), Is.Empty, "no retries");
        });
    }

    [Test]
    public async Task StoreAsync_CredentialsRead_SecretKeyIsMaskedFromThenOn()
    {
        var masker = new SecretMaskerStub();
        using var store = Target.CreateStore(masker: masker);

        await StoreTextAsync(store, new ArtifactKey(Task1, "runner-g", "diff.patch"), "x");

        Assert.That(masker.Secrets, Does.Contain(Target.SecretKey));
    }

    [Test]
    public void StoreAsync_SecretKeyMissing_FailsNamingTheSecret()
    {
        var credentials = new TestCredentials(new Dictionary<string, string> { ["s3-access-key"] = Target.AccessKey });
        using var store = Target.CreateStore(credentials: credentials);

        var ex = Assert.ThrowsAsync<ArtifactStoreException>(() => StoreTextAsync(store, new ArtifactKey(Task1, "runner-h", "diff.patch"), "x"));

        Assert.That(ex!.Message, Does.Contain("'s3-secret-key'").And.Contain("not found"));
    }

    [Test]
    public void OpenReadAsync_UriOfAnotherBucket_FailsNamingBoth()
    {
        using var store = Target.CreateStore();

        var ex = Assert.ThrowsAsync<ArtifactStoreException>(() => store.OpenReadAsync(new Uri("s3://some-other-bucket/a/b.txt"), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("some-other-bucket").And.Contain(Target.Bucket));
    }

    [Test]
    public async Task CreateDownloadLinkAsync_LifetimeSet_LinkDownloadsTheArtifactAndExpiresAfterTheLifetime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Target.Options(o => o.DownloadLinkLifetime = TimeSpan.FromMinutes(30));
        using var store = new S3ArtifactStore(Microsoft.Extensions.Options.Options.Create(options), Target.Credentials(), new SecretMaskerStub(), time, new FakeLogger<S3ArtifactStore>());
        var uri = await StoreTextAsync(store, new ArtifactKey(Task1, "runner-i", "diff.patch"), "+linked\n");

        var link = await store.CreateDownloadLinkAsync(uri, CancellationToken.None);

        using var http = new HttpClient();
        var body = await http.GetStringAsync(link!.Uri);
        Assert.Multiple(() =>
        {
            Assert.That(body, Is.EqualTo("+linked\n"));
            Assert.That(link.ExpiresAt, Is.EqualTo(time.GetUtcNow() + TimeSpan.FromMinutes(30)));
            Assert.That(link.Uri.Query, Does.Contain("X-Amz-Signature="));
        });
    }

    [Test]
    public async Task CreateDownloadLinkAsync_NoLifetime_ReturnsNull()
    {
        using var store = Target.CreateStore();
        var uri = await StoreTextAsync(store, new ArtifactKey(Task1, "runner-j", "diff.patch"), "x");

        Assert.That(await store.CreateDownloadLinkAsync(uri, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task ProbeAsync_BucketExists_Healthy()
    {
        using var store = Target.CreateStore();

        var result = await store.ProbeAsync(CancellationToken.None);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy), result.Description);
    }

    [Test]
    public async Task ProbeAsync_BucketMissing_UnhealthyNamingTheBucket()
    {
        using var store = Target.CreateStore(Target.Options(o => o.Bucket = "necrocode-missing-" + Guid.NewGuid().ToString("N")[..12]));

        var result = await store.ProbeAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Description, Does.Contain("necrocode-missing-"));
        });
    }

    private static async Task<Uri> StoreTextAsync(S3ArtifactStore store, ArtifactKey key, string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return await store.StoreAsync(key, stream, CancellationToken.None);
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}

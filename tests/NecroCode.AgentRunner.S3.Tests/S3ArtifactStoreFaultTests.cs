using System.Text;
using Microsoft.Extensions.Logging.Testing;

namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>How the store fails against a server that is down or answers errors: what is retried and what is said.</summary>
[TestFixture]
public sealed class S3ArtifactStoreFaultTests
{
    private static readonly ArtifactKey Key = new(new TaskKey("billing", "task-9"), "runner-z", "diff.patch");

    [Test]
    public void StoreAsync_ServerDown_RetriedThenFailsAsTransientNamingBucketAndKey()
    {
        var endpoint = $"http://127.0.0.1:{StubS3Server.FreePort()}";
        var logger = new FakeLogger<S3ArtifactStore>();
        using var store = CreateStore(endpoint, logger, maxRetries: 2);

        var ex = Assert.ThrowsAsync<ArtifactStoreException>(() => StoreAsync(store));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain($"s3://artifacts/runs/billing/task-9/runner-z/diff.patch at {endpoint}"));
            Assert.That(ex.IsTransient, Is.True);
            Assert.That(logger.Collector.GetSnapshot().Count(r => r.Id.Id == 6301), Is.EqualTo(2), "retries logged");
        });
    }

    [TestCase(503, "SlowDown")]
    [TestCase(500, "InternalError")]
    [TestCase(429, "TooManyRequests")]
    public async Task StoreAsync_ServerErrorOrThrottling_RetriedUpToMaxRetries(int status, string code)
    {
        await using var server = new StubS3Server(status, code);
        using var store = CreateStore(server.Url, new FakeLogger<S3ArtifactStore>(), maxRetries: 3);

        var ex = Assert.ThrowsAsync<ArtifactStoreException>(() => StoreAsync(store));

        Assert.Multiple(() =>
        {
            Assert.That(server.Requests, Is.EqualTo(4), "the first attempt and three retries");
            Assert.That(ex!.IsTransient, Is.True);
            Assert.That(ex.Message, Does.Contain(code));
        });
    }

    [TestCase(403, "AccessDenied")]
    [TestCase(403, "SignatureDoesNotMatch")]
    [TestCase(404, "NoSuchBucket")]
    [TestCase(400, "InvalidRequest")]
    public async Task StoreAsync_ClientError_NotRetried(int status, string code)
    {
        await using var server = new StubS3Server(status, code);
        using var store = CreateStore(server.Url, new FakeLogger<S3ArtifactStore>(), maxRetries: 3);

        var ex = Assert.ThrowsAsync<ArtifactStoreException>(() => StoreAsync(store));

        Assert.Multiple(() =>
        {
            Assert.That(server.Requests, Is.EqualTo(1));
            Assert.That(ex!.IsTransient, Is.False);
            Assert.That(ex.Message, Does.Contain("s3://artifacts/runs/billing/task-9/runner-z/diff.patch"));
        });
    }

    [Test]
    public async Task OpenReadAsync_ServerErrors_RetriedThenFails()
    {
        await using var server = new StubS3Server(503, "SlowDown");
        using var store = CreateStore(server.Url, new FakeLogger<S3ArtifactStore>(), maxRetries: 1);

        Assert.ThrowsAsync<ArtifactStoreException>(() => store.OpenReadAsync(new Uri("s3://artifacts/runs/a/b/c/d.txt"), CancellationToken.None));

        Assert.That(server.Requests, Is.EqualTo(2));
    }

    [Test]
    public async Task StoreAsync_PartRefused_UploadAbortedAndNeverCompleted()
    {
        await using var server = StubS3Server.MultipartUpload(failingPart: 2, StubS3Server.PartFault.Refused);
        using var store = CreateStore(server.Url, new FakeLogger<S3ArtifactStore>(), maxRetries: 3, multipart: true);
        using var folder = new TempFolder("necrocode-s3-fault-");

        var ex = Assert.ThrowsAsync<ArtifactStoreException>(() => StoreThreePartsAsync(store, folder, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("InvalidRequest"));
            Assert.That(server.Seen.Count(r => r == "DELETE ?uploadId=stub-upload"), Is.EqualTo(1), "aborts of the upload");
            Assert.That(server.Seen.Where(r => r.StartsWith("POST ?uploadId=", StringComparison.Ordinal)), Is.Empty, "completions of the upload");
        });
    }

    [Test]
    public async Task StoreAsync_CancelledWhileAPartIsSent_UploadAbortedAndNeverCompleted()
    {
        await using var server = StubS3Server.MultipartUpload(failingPart: 2, StubS3Server.PartFault.NeverAnswered);
        using var store = CreateStore(server.Url, new FakeLogger<S3ArtifactStore>(), maxRetries: 3, multipart: true);
        using var folder = new TempFolder("necrocode-s3-fault-");
        using var cancel = new CancellationTokenSource();

        var storing = StoreThreePartsAsync(store, folder, cancel.Token);
        await server.FailingPartArrived.WaitAsync(TimeSpan.FromMinutes(2));
        await cancel.CancelAsync();

        Assert.That(async () => await storing, Throws.InstanceOf<OperationCanceledException>());
        Assert.Multiple(() =>
        {
            Assert.That(server.Seen.Count(r => r == "DELETE ?uploadId=stub-upload"), Is.EqualTo(1), "aborts of the upload");
            Assert.That(server.Seen.Where(r => r.StartsWith("POST ?uploadId=", StringComparison.Ordinal)), Is.Empty, "completions of the upload");
        });
    }

    private static S3ArtifactStore CreateStore(string endpoint, FakeLogger<S3ArtifactStore> logger, int maxRetries, bool multipart = false)
    {
        var options = new S3ArtifactStoreOptions
        {
            ServiceUrl = endpoint,
            Bucket = "artifacts",
            KeyPrefix = "runs",
            MaxRetries = maxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(1),
        };
        if (multipart)
        {
            (options.MultipartThresholdBytes, options.PartSizeBytes) = (S3ArtifactStoreOptions.MinPartSizeBytes, S3ArtifactStoreOptions.MinPartSizeBytes);
        }

        var credentials = new TestCredentials(new Dictionary<string, string> { ["s3-access-key"] = "AKIDEXAMPLE", ["s3-secret-key"] = "stub-secret-key" });
        return new S3ArtifactStore(Microsoft.Extensions.Options.Options.Create(options), credentials, new SecretMaskerStub(), TimeProvider.System, logger);
    }

    private static async Task StoreAsync(S3ArtifactStore store)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("+x\n"));
        await store.StoreAsync(Key, content, CancellationToken.None);
    }

    /// <summary>Stores a file of three parts (at the smallest part size), parts read from the file two at once.</summary>
    private static async Task StoreThreePartsAsync(S3ArtifactStore store, TempFolder folder, CancellationToken cancellationToken)
    {
        var path = folder.Combine("run.jsonl");
        await File.WriteAllBytesAsync(path, new byte[3 * S3ArtifactStoreOptions.MinPartSizeBytes], cancellationToken);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        await store.StoreAsync(Key, file, cancellationToken);
    }
}

using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.S3;

namespace NecroCode.AgentRunner.Benchmarks.ObjectStorage;

/// <summary>
/// Uploading one large artifact (<c>S3_BENCH_MB</c> MiB of JSON lines, default 200) from a file to an S3-compatible
/// server (<c>S3_BENCH_ENDPOINT</c>, else <c>NECROCODE_S3_TEST_ENDPOINT</c>, else http://127.0.0.1:4568 — start it with
/// <c>. eng/services/s3.sh</c>): through <see cref="S3ArtifactStore"/> as a multipart upload (its default at this size)
/// and as one streamed request, against the SDK's own <c>TransferUtility</c> multipart upload and its single
/// <c>PutObject</c> of the file. Each pair is a category with the SDK's way as its baseline, so the ratio and its
/// spread are the store's against the SDK's way of the same kind.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class S3UploadBenchmarks
{
    private const string Key = "S3RVER";
    private const string Multipart = "Multipart";
    private const string SingleRequest = "SingleRequest";
    private static readonly int SizeMiB = int.TryParse(Environment.GetEnvironmentVariable("S3_BENCH_MB"), out var mb) ? mb : 200;
    private readonly string _bucket = "necrocode-bench-" + Guid.NewGuid().ToString("N")[..12];
    private string _folder = "";
    private string _file = "";
    private AmazonS3Client _client = null!;
    private S3ArtifactStore _store = null!;
    private S3ArtifactStore _singleRequestStore = null!;
    private TransferUtility _transfer = null!;

    private static string Endpoint =>
        Environment.GetEnvironmentVariable("S3_BENCH_ENDPOINT") is { Length: > 0 } endpoint ? endpoint
        : Environment.GetEnvironmentVariable("NECROCODE_S3_TEST_ENDPOINT") is { Length: > 0 } test ? test
        : "http://127.0.0.1:4568";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("necrocode-s3-bench-").FullName;
        _file = Path.Combine(_folder, "run-log.jsonl");
        WriteRunLog(_file, SizeMiB * 1024L * 1024);
        var config = new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        _client = new AmazonS3Client(new BasicAWSCredentials(Key, Key), config);
        _client.PutBucketAsync(_bucket).GetAwaiter().GetResult();
        _transfer = new TransferUtility(_client, new TransferUtilityConfig { ConcurrentServiceRequests = 2 });
        _store = CreateStore(new S3ArtifactStoreOptions { ServiceUrl = Endpoint, Bucket = _bucket });
        _singleRequestStore = CreateStore(new S3ArtifactStoreOptions { ServiceUrl = Endpoint, Bucket = _bucket, MultipartThresholdBytes = 5L * 1024 * 1024 * 1024 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _singleRequestStore.Dispose();
        _transfer.Dispose();
        foreach (var key in new[] { "raw/run-log.jsonl", "transfer/run-log.jsonl", "bench/1/multipart/run-log.jsonl", "bench/1/single/run-log.jsonl" })
        {
            _client.DeleteObjectAsync(_bucket, key).GetAwaiter().GetResult();
        }

        _client.DeleteBucketAsync(_bucket).GetAwaiter().GetResult();
        _client.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The SDK's single PutObject of the file (signed payload, no aws-chunked body).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(SingleRequest)]
    public Task RawPutObject() =>
        _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "raw/run-log.jsonl", FilePath = _file, UseChunkEncoding = false });

    /// <summary>The SDK's TransferUtility: a multipart upload of the file (parts of 16 MiB, two at once).</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Multipart)]
    public Task TransferUtilityMultipart() =>
        _transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = _bucket, Key = "transfer/run-log.jsonl", FilePath = _file, PartSize = 16L * 1024 * 1024 });

    /// <summary>
    /// The artifact store with its defaults: SHA-256 pass, then a multipart upload of 16 MiB parts, two at once, each
    /// read from the file by position.
    /// </summary>
    [Benchmark]
    [BenchmarkCategory(Multipart)]
    public Task StoreMultipart() => StoreAsync(_store, "multipart");

    /// <summary>The artifact store with the threshold above the file: SHA-256 pass, then one PUT streamed from the file.</summary>
    [Benchmark]
    [BenchmarkCategory(SingleRequest)]
    public Task StoreSingleRequest() => StoreAsync(_singleRequestStore, "single");

    private static S3ArtifactStore CreateStore(S3ArtifactStoreOptions options) =>
        new(Options.Create(options), new FixedCredentials(), new Security.SecretMasker(), TimeProvider.System, NullLogger<S3ArtifactStore>.Instance);

    private async Task StoreAsync(S3ArtifactStore store, string runner)
    {
        await using var file = new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await store.StoreAsync(new ArtifactKey(new TaskKey("bench", "1"), runner, "run-log.jsonl"), file, CancellationToken.None);
    }

    /// <summary>Writes <paramref name="size"/> bytes of JSON lines, a 1 MiB block of them at a time.</summary>
    private static void WriteRunLog(string path, long size)
    {
        var block = new System.Text.StringBuilder();
        for (var line = 0; block.Length < 1024 * 1024; line++)
        {
            block.Append("{\"type\":\"output\",\"line\":").Append(line).Append(",\"text\":\"building module ").Append(line % 977).Append(" of the project\"}\n");
        }

        var bytes = System.Text.Encoding.ASCII.GetBytes(block.ToString(0, 1024 * 1024));
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        for (long written = 0; written < size; written += bytes.Length)
        {
            file.Write(bytes, 0, (int)Math.Min(bytes.Length, size - written));
        }
    }

    private sealed class FixedCredentials : ICredentialProvider
    {
        public ValueTask<Secret?> GetAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult<Secret?>(new Secret(name, Key));
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1).WithId("Short"));
            AddColumn(new Shared.ThroughputColumn(SizeMiB, "bytes"));
        }
    }
}

using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>
/// Where the S3 tests run. <see cref="Local"/>: the s3rver that <c>eng/services/s3.sh</c> starts
/// (<c>NECROCODE_S3_TEST_ENDPOINT</c>); each fixture gets a bucket of its own. Missing, it fails the tests when
/// <c>CI=true</c> and ignores them otherwise. <see cref="Real"/>: an opt-in real endpoint named by
/// <c>NECROCODE_S3_REAL_BUCKET</c> (required), <c>NECROCODE_S3_REAL_SERVICE_URL</c> (empty: AWS),
/// <c>NECROCODE_S3_REAL_REGION</c> (default us-east-1), <c>NECROCODE_S3_REAL_ACCESS_KEY</c>,
/// <c>NECROCODE_S3_REAL_SECRET_KEY</c> and <c>NECROCODE_S3_REAL_PREFIX</c> (default necrocode-tests); each fixture
/// writes under a prefix of its own there and removes it afterwards.
/// </summary>
internal sealed class S3TestTarget : IAsyncDisposable
{
    public const string Local = "local";
    public const string Real = "real";

    /// <summary>s3rver's fixed account.</summary>
    private const string LocalKey = "S3RVER";

    private S3TestTarget(string kind, string? serviceUrl, string region, string accessKey, string secretKey, string bucket, string prefix)
    {
        Kind = kind;
        ServiceUrl = serviceUrl;
        Region = region;
        AccessKey = accessKey;
        SecretKey = secretKey;
        Bucket = bucket;
        Prefix = prefix;
        Client = new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), Config(serviceUrl, region));
    }

    public string Kind { get; }

    public string? ServiceUrl { get; }

    public string Region { get; }

    public string AccessKey { get; }

    public string SecretKey { get; }

    public string Bucket { get; }

    public string Prefix { get; }

    /// <summary>A plain SDK client with the same credentials, for looking at what the store wrote.</summary>
    public AmazonS3Client Client { get; }

    public bool IsLocal => Kind == Local;

    /// <summary>Opens the target, or fails/ignores the test when it is not there.</summary>
    public static async Task<S3TestTarget> OpenAsync(string kind)
    {
        if (kind == Real)
        {
            var bucket = Environment.GetEnvironmentVariable("NECROCODE_S3_REAL_BUCKET");
            if (string.IsNullOrEmpty(bucket))
            {
                Assert.Ignore("The real-endpoint suite is opt-in: set NECROCODE_S3_REAL_BUCKET (and _SERVICE_URL, _REGION, _ACCESS_KEY, _SECRET_KEY).");
            }

            var prefix = (Environment.GetEnvironmentVariable("NECROCODE_S3_REAL_PREFIX") is { Length: > 0 } p ? p : "necrocode-tests") + "/" + Guid.NewGuid().ToString("N")[..12];
            return new S3TestTarget(
                Real,
                Environment.GetEnvironmentVariable("NECROCODE_S3_REAL_SERVICE_URL") is { Length: > 0 } url ? url : null,
                Environment.GetEnvironmentVariable("NECROCODE_S3_REAL_REGION") is { Length: > 0 } region ? region : "us-east-1",
                Environment.GetEnvironmentVariable("NECROCODE_S3_REAL_ACCESS_KEY") ?? "",
                Environment.GetEnvironmentVariable("NECROCODE_S3_REAL_SECRET_KEY") ?? "",
                bucket,
                prefix);
        }

        var endpoint = Environment.GetEnvironmentVariable("NECROCODE_S3_TEST_ENDPOINT");
        var problem = string.IsNullOrEmpty(endpoint) ? "NECROCODE_S3_TEST_ENDPOINT is not set" : null;
        S3TestTarget? target = null;
        if (problem is null)
        {
            target = new S3TestTarget(Local, endpoint, "us-east-1", LocalKey, LocalKey, "necrocode-" + Guid.NewGuid().ToString("N")[..16], "artifacts");
            try
            {
                await target.Client.PutBucketAsync(new PutBucketRequest { BucketName = target.Bucket });
            }
            catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or IOException)
            {
                problem = $"the server at {endpoint} did not answer: {ex.Message}";
                target.Client.Dispose();
            }
        }

        if (problem is not null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"CI=true and no S3 test server: {problem}. eng/test.sh starts one with eng/services/s3.sh.");
            }

            Assert.Ignore($"No S3 test server ({problem}); start one with '. eng/services/s3.sh'.");
        }

        return target!;
    }

    /// <summary>Store options for this target; <paramref name="change"/> adjusts them.</summary>
    public S3ArtifactStoreOptions Options(Action<S3ArtifactStoreOptions>? change = null)
    {
        var options = new S3ArtifactStoreOptions { ServiceUrl = ServiceUrl, Region = Region, Bucket = Bucket, KeyPrefix = Prefix, RetryDelay = TimeSpan.FromMilliseconds(10) };
        change?.Invoke(options);
        return options;
    }

    /// <summary>The secrets the store reads, by their default names.</summary>
    public TestCredentials Credentials(string? secretKey = null, string? accessKey = null) =>
        new(new Dictionary<string, string> { ["s3-access-key"] = accessKey ?? AccessKey, ["s3-secret-key"] = secretKey ?? SecretKey });

    public S3ArtifactStore CreateStore(S3ArtifactStoreOptions? options = null, ICredentialProvider? credentials = null, ISecretMasker? masker = null, ILogger<S3ArtifactStore>? logger = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? Options()), credentials ?? Credentials(), masker ?? new SecretMaskerStub(), TimeProvider.System, logger ?? NullLogger<S3ArtifactStore>.Instance);

    /// <summary>Every object of this target (its bucket, under its prefix for a real endpoint) with its content.</summary>
    public async Task<List<(string Key, byte[] Content)>> ReadAllAsync()
    {
        var objects = new List<(string, byte[])>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = IsLocal ? null : Prefix };
        ListObjectsV2Response page;
        do
        {
            page = await Client.ListObjectsV2Async(request);
            foreach (var item in page.S3Objects ?? [])
            {
                using var response = await Client.GetObjectAsync(Bucket, item.Key);
                using var copy = new MemoryStream();
                await response.ResponseStream.CopyToAsync(copy);
                objects.Add((item.Key, copy.ToArray()));
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
        return objects;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = IsLocal ? null : Prefix };
            ListObjectsV2Response page;
            do
            {
                page = await Client.ListObjectsV2Async(request);
                foreach (var item in page.S3Objects ?? [])
                {
                    await Client.DeleteObjectAsync(Bucket, item.Key);
                }

                request.ContinuationToken = page.NextContinuationToken;
            }
            while (page.IsTruncated == true);
            if (IsLocal)
            {
                await Client.DeleteBucketAsync(Bucket);
            }
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or IOException)
        {
            TestContext.Progress.WriteLine($"Cleaning up s3://{Bucket}/{Prefix} failed: {ex.Message}");
        }
        finally
        {
            Client.Dispose();
        }
    }

    private static AmazonS3Config Config(string? serviceUrl, string region)
    {
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (serviceUrl is null)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
            config.ForcePathStyle = true;
        }

        return config;
    }
}

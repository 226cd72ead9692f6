using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Health;
using Polly;

namespace NecroCode.AgentRunner.S3;

/// <summary>
/// Keeps artifacts in an S3-compatible bucket, where every runner can read them: at
/// <c>&lt;prefix&gt;/&lt;spec&gt;/&lt;task&gt;/&lt;runner&gt;/&lt;name&gt;</c>, named by <c>s3://&lt;bucket&gt;/&lt;key&gt;</c> URIs, each
/// object with its content type and its SHA-256 (metadata <c>sha256</c>). Large artifacts are streamed as multipart
/// uploads; server errors, throttling and broken connections are retried with backoff, refusals (403, 404) are not.
/// Requests are signed with the runner's secrets named in <see cref="S3ArtifactStoreOptions"/>, which are masked.
/// </summary>
public sealed partial class S3ArtifactStore : IArtifactStore, IArtifactDownloadLinks, IHealthProbe, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly S3ArtifactStoreOptions _options;
    private readonly S3ObjectKeys _keys;
    private readonly ResiliencePipeline _retry;
    private readonly S3Uploader _uploader;
    private readonly ISecretMasker _masker;
    private readonly TimeProvider _time;
    private readonly ILogger<S3ArtifactStore> _logger;
    private readonly string _endpoint;

    /// <summary>Creates the store.</summary>
    /// <param name="options">Where and how.</param>
    /// <param name="credentials">Where the access key and secret key are read from, by the names in <paramref name="options"/>.</param>
    /// <param name="masker">Masks the secret key (and the other credentials) from the moment they are read.</param>
    /// <param name="time">Times retries and download links.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public S3ArtifactStore(IOptions<S3ArtifactStoreOptions> options, ICredentialProvider credentials, ISecretMasker masker, TimeProvider time, ILogger<S3ArtifactStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        _masker = masker ?? throw new ArgumentNullException(nameof(masker));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options.Value;
        _keys = new S3ObjectKeys(_options.Bucket, _options.KeyPrefix);
        _endpoint = string.IsNullOrEmpty(_options.ServiceUrl) ? $"AWS S3 ({_options.Region})" : _options.ServiceUrl;
        _client = new AmazonS3Client(new SecretCredentials(credentials, masker, _options), CreateConfig(_options));
        _retry = S3Retry.Create(_options, time, (attempt, ex, delay) => Log.Retrying(_logger, attempt, _options.MaxRetries, delay.TotalMilliseconds, _masker.Apply(ex?.Message ?? "")));
        _uploader = new S3Uploader(_client, _options.Bucket, _options, _retry, (id, ex) => Log.AbortFailed(_logger, id, _masker.Apply(ex.Message)));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A part of the key cannot be part of an object key (empty, <c>.</c>, <c>..</c>, <c>/</c>).</exception>
    /// <exception cref="OperationCanceledException">The upload was cancelled; a multipart upload was aborted.</exception>
    public async Task<Uri> StoreAsync(ArtifactKey key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(content);
        var objectKey = _keys.KeyOf(key);
        try
        {
            var prepared = await ArtifactContent.ReadAsync(content, cancellationToken).ConfigureAwait(false);
            await using (prepared.ConfigureAwait(false))
            {
                var start = _time.GetTimestamp();
                var requests = await _uploader.UploadAsync(objectKey, prepared, ContentTypes.For(key.Name), cancellationToken).ConfigureAwait(false);
                Log.Stored(_logger, _options.Bucket, objectKey, prepared.Length, requests, _time.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw S3Errors.Describe(ex, "Storing", _options.Bucket, objectKey, _endpoint, _options, _masker);
        }

        return _keys.UriOf(objectKey);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(Uri uri, CancellationToken cancellationToken)
    {
        var objectKey = _keys.KeyFrom(uri);
        try
        {
            var response = await _retry.ExecuteAsync(
                async token => await _client.GetObjectAsync(new GetObjectRequest { BucketName = _options.Bucket, Key = objectKey }, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return response.ResponseStream;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw S3Errors.Describe(ex, "Reading", _options.Bucket, objectKey, _endpoint, _options, _masker);
        }
    }

    /// <inheritdoc />
    /// <remarks>A presigned GET URL that lasts <see cref="S3ArtifactStoreOptions.DownloadLinkLifetime"/>; null when that is not set.</remarks>
    public async Task<ArtifactDownloadLink?> CreateDownloadLinkAsync(Uri uri, CancellationToken cancellationToken)
    {
        var objectKey = _keys.KeyFrom(uri);
        if (_options.DownloadLinkLifetime is not { } lifetime)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var expires = _time.GetUtcNow() + lifetime;
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _options.Bucket,
            Key = objectKey,
            Verb = HttpVerb.GET,
            Expires = expires.UtcDateTime,
            Protocol = _options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        };
        try
        {
            return new ArtifactDownloadLink(new Uri(await _client.GetPreSignedURLAsync(request).ConfigureAwait(false)), expires);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or ArtifactStoreException or UriFormatException)
        {
            throw S3Errors.Describe(ex, "Making a download link to", _options.Bucket, objectKey, _endpoint, _options, _masker);
        }
    }

    /// <inheritdoc />
    /// <remarks>Asks for the bucket (HEAD): Healthy when it exists and the credentials may reach it.</remarks>
    public async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _options.Bucket }, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"the artifact bucket '{_options.Bucket}' at {_endpoint} answers");
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or ArtifactStoreException or HttpRequestException or IOException)
        {
            var reason = ex is AmazonServiceException { StatusCode: System.Net.HttpStatusCode.NotFound } ? "does not exist" : "cannot be reached: " + _masker.Apply(ex.Message);
            return HealthCheckResult.Unhealthy($"the artifact bucket '{_options.Bucket}' at {_endpoint} {reason}");
        }
    }

    /// <summary>Closes the S3 client.</summary>
    public void Dispose() => _client.Dispose();

    private static AmazonS3Config CreateConfig(S3ArtifactStoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.UsePathStyle,
            Timeout = options.RequestTimeout,

            // Retries are S3Retry's; checksums only where the API requires them (S3-compatible servers reject the rest).
            MaxErrorRetry = 0,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        return config;
    }
}

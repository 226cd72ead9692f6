using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.S3;

/// <summary>
/// Settings of the S3 artifact store: where the objects go (endpoint, bucket, key prefix, region), which of the
/// runner's secrets sign the requests, and how large artifacts are uploaded and retried. An artifact is kept at
/// <c>&lt;prefix&gt;/&lt;spec&gt;/&lt;task&gt;/&lt;runner&gt;/&lt;name&gt;</c> and named <c>s3://&lt;bucket&gt;/&lt;key&gt;</c>.
/// </summary>
public sealed class S3ArtifactStoreOptions
{
    /// <summary>The configuration section the command-line host binds these options to: <c>NecroCode:Artifacts:S3</c>.</summary>
    public const string SectionName = "NecroCode:Artifacts:S3";

    /// <summary>The smallest part S3 accepts in a multipart upload (all but the last part): 5 MiB.</summary>
    public const int MinPartSizeBytes = 5 * 1024 * 1024;

    /// <summary>
    /// The service URL of an S3-compatible server, e.g. <c>http://127.0.0.1:9000</c> or <c>https://minio.example.com</c>.
    /// Null (default): AWS S3 in <see cref="Region"/>.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket the artifacts go to; it must exist (the store never creates it).</summary>
    [Required]
    public string Bucket { get; set; } = "";

    /// <summary>A key prefix put before every artifact's key, without leading or trailing <c>/</c>, e.g. <c>necrocode/artifacts</c>. Default none.</summary>
    public string KeyPrefix { get; set; } = "";

    /// <summary>The region requests are signed for. Default <c>us-east-1</c> (what most S3-compatible servers expect).</summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// Whether the bucket goes in the path (<c>http://host/bucket/key</c>) instead of the host name. Null (default):
    /// path style when <see cref="ServiceUrl"/> is set (S3-compatible servers), virtual-host style for AWS.
    /// </summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>
    /// The name of the runner's secret holding the access key id. Default <c>s3-access-key</c>: read like every other
    /// secret (<c>NecroCode:Credentials</c>), i.e. from the file <c>s3-access-key</c> in the secret-mount folder or from
    /// <c>NECROCODE_S3_ACCESS_KEY</c>.
    /// </summary>
    [Required]
    public string AccessKeySecret { get; set; } = "s3-access-key";

    /// <summary>
    /// The name of the runner's secret holding the secret access key. Default <c>s3-secret-key</c>
    /// (<c>NECROCODE_S3_SECRET_KEY</c>). Its value is masked in every output from the moment it is read.
    /// </summary>
    [Required]
    public string SecretKeySecret { get; set; } = "s3-secret-key";

    /// <summary>
    /// The name of the runner's secret holding a session token for temporary credentials, read when present. Default
    /// <c>s3-session-token</c>; empty: none is read.
    /// </summary>
    public string SessionTokenSecret { get; set; } = "s3-session-token";

    /// <summary>
    /// Artifacts at least this large are uploaded in parts (multipart upload: each part retried on its own, several
    /// in flight); a smaller one is streamed in one request. Default 64 MiB; 5 MiB to 5 GiB (the largest single upload).
    /// </summary>
    [Range(MinPartSizeBytes, 5L * 1024 * 1024 * 1024)]
    public long MultipartThresholdBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The size of each part of a multipart upload. Default 16 MiB; 5 MiB to 512 MiB.</summary>
    [Range(MinPartSizeBytes, 512 * 1024 * 1024)]
    public int PartSizeBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// How many parts of one upload are sent at once when the content is a file (or a stream that cannot seek, which
    /// is copied to a temp file first); the parts of another seekable stream go one at a time. Parts are read from
    /// where the content is, never copied into memory. Default 2; 1 to 16.
    /// </summary>
    [Range(1, 16)]
    public int MaxConcurrentParts { get; set; } = 2;

    /// <summary>How often a request that failed with a server error (5xx), throttling or a broken connection is retried. Default 4; 0 to 10.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The wait before the first retry; it doubles with each retry (with jitter). Default 200 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait for one request to S3 to answer. Default 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the download links (presigned URLs) of stored artifacts work, shown in the run summary. Null (default):
    /// no links are made. At most 7 days (the longest a signature lasts).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan? DownloadLinkLifetime { get; set; }

    /// <summary>The effective <see cref="ForcePathStyle"/>.</summary>
    internal bool UsePathStyle => ForcePathStyle ?? !string.IsNullOrEmpty(ServiceUrl);
}

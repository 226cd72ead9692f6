using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.S3;

public sealed partial class S3ArtifactStore
{
    private static partial class Log
    {
        [LoggerMessage(6300, LogLevel.Debug, "Stored s3://{Bucket}/{Key} ({Bytes} bytes in {Requests} request(s)) in {ElapsedMs} ms")]
        public static partial void Stored(ILogger logger, string bucket, string key, long bytes, int requests, double elapsedMs);

        [LoggerMessage(6301, LogLevel.Warning, "An S3 request failed; retry {Attempt} of {MaxRetries} in {DelayMs} ms: {Reason}")]
        public static partial void Retrying(ILogger logger, int attempt, int maxRetries, double delayMs, string reason);

        [LoggerMessage(6302, LogLevel.Warning, "The multipart upload {UploadId} could not be aborted ({Reason}); the bucket's lifecycle rule for incomplete uploads removes its parts")]
        public static partial void AbortFailed(ILogger logger, string uploadId, string reason);
    }
}

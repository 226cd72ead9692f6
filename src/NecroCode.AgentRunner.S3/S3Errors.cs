using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace NecroCode.AgentRunner.S3;

/// <summary>Which S3 failures are worth a retry, and the message each failure becomes.</summary>
internal static class S3Errors
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests", "RequestTimeout", "InternalError", "ServiceUnavailable",
    };

    /// <summary>Server errors (5xx), throttling and broken connections: a retry may succeed. Never 4xx such as 403 or 404.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => true,
        AmazonServiceException { StatusCode: HttpStatusCode.TooManyRequests } => true,
        AmazonServiceException service when service.ErrorCode is { } code && ThrottlingCodes.Contains(code) => true,
        AmazonServiceException { StatusCode: not 0 } => false,
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    /// <summary>
    /// What <paramref name="exception"/> means for the object <paramref name="key"/>, as an
    /// <see cref="ArtifactStoreException"/> naming the bucket, the key and the endpoint (never a credential).
    /// </summary>
    public static ArtifactStoreException Describe(Exception exception, string action, string bucket, string key, string endpoint, S3ArtifactStoreOptions options, ISecretMasker masker)
    {
        if (exception is ArtifactStoreException known)
        {
            return known;
        }

        var target = $"s3://{bucket}/{key} at {endpoint}";
        var reason = masker.Apply(exception.Message);
        var message = exception switch
        {
            AmazonServiceException { ErrorCode: "NoSuchBucket" } =>
                $"{action} {target} failed: the bucket '{bucket}' does not exist. Create it, or set {S3ArtifactStoreOptions.SectionName}:Bucket to one that does.",
            AmazonServiceException { ErrorCode: "NoSuchKey" } or AmazonServiceException { StatusCode: HttpStatusCode.NotFound } =>
                $"{action} {target} failed: no such object ({reason}).",
            AmazonServiceException { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized } service =>
                $"{action} {target} was refused ({service.ErrorCode}: {reason}). Check the secrets '{options.AccessKeySecret}' and '{options.SecretKeySecret}' and the bucket's permissions.",
            AmazonServiceException service =>
                $"{action} {target} failed ({(int)service.StatusCode} {service.ErrorCode}): {reason}",
            _ when IsTransient(exception) =>
                $"{action} {target} failed: the server did not answer ({reason}).",
            _ => $"{action} {target} failed: {reason}",
        };
        return new ArtifactStoreException(message, exception, IsTransient(exception));
    }
}

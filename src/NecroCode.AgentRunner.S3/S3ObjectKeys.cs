namespace NecroCode.AgentRunner.S3;

/// <summary>
/// The object keys and URIs of one bucket: an artifact is kept at <c>&lt;prefix&gt;/&lt;spec&gt;/&lt;task&gt;/&lt;runner&gt;/&lt;name&gt;</c>
/// and named <c>s3://&lt;bucket&gt;/&lt;key&gt;</c>, each key segment escaped as a URI path segment.
/// </summary>
internal sealed class S3ObjectKeys(string bucket, string keyPrefix)
{
    public string Bucket { get; } = bucket;

    /// <summary>The object key of <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">A part of the key is empty, <c>.</c>, <c>..</c>, or holds <c>/</c>, <c>\</c> or a control character.</exception>
    public string KeyOf(ArtifactKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var segments = new[]
        {
            Check(key.Task.SpecName, "spec name", nameof(key)),
            Check(key.Task.TaskId, "task id", nameof(key)),
            Check(key.RunnerId, "runner id", nameof(key)),
            Check(key.Name, "artifact name", nameof(key)),
        };
        var path = string.Join('/', segments);
        return keyPrefix.Length == 0 ? path : keyPrefix + "/" + path;
    }

    /// <summary>The <c>s3://</c> URI of the object at <paramref name="objectKey"/>.</summary>
    public Uri UriOf(string objectKey) =>
        new($"s3://{Bucket}/{string.Join('/', objectKey.Split('/').Select(Uri.EscapeDataString))}");

    /// <summary>The object key named by <paramref name="uri"/>.</summary>
    /// <exception cref="ArtifactStoreException"><paramref name="uri"/> is not an <c>s3://</c> URI of this bucket.</exception>
    public string KeyFrom(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || !string.Equals(uri.Scheme, "s3", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactStoreException($"'{uri}' is not an s3:// URI of the artifact bucket '{Bucket}'.");
        }

        if (!string.Equals(uri.Host, Bucket, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactStoreException($"'{uri}' is in the bucket '{uri.Host}', not in the artifact bucket '{Bucket}'.");
        }

        var key = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return key.Length > 0 ? key : throw new ArtifactStoreException($"'{uri}' names no object of the artifact bucket '{Bucket}'.");
    }

    private static string Check(string value, string what, string paramName)
    {
        if (string.IsNullOrEmpty(value) || value is "." or ".." || value.AsSpan().IndexOfAny('/', '\\') >= 0 || value.Any(char.IsControl))
        {
            throw new ArgumentException($"The {what} '{value}' cannot be part of an object key (empty, '.', '..', or holds '/', '\\' or a control character).", paramName);
        }

        return value;
    }
}

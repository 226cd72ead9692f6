using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.S3;

/// <summary>Checks what the attributes cannot: the endpoint, the bucket's and the prefix's shapes, the secret names.</summary>
internal sealed class S3ArtifactStoreOptionsConsistencyValidator : IValidateOptions<S3ArtifactStoreOptions>
{
    private const string Name = nameof(S3ArtifactStoreOptions);

    public ValidateOptionsResult Validate(string? name, S3ArtifactStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            if (!Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                failures.Add($"{Name}.ServiceUrl '{options.ServiceUrl}' is not an http:// or https:// URL without query, e.g. http://127.0.0.1:9000.");
            }
            else if (url.UserInfo.Length > 0)
            {
                failures.Add($"{Name}.ServiceUrl must not carry credentials; the keys come from the secrets '{options.AccessKeySecret}' and '{options.SecretKeySecret}'.");
            }
        }

        if (!string.IsNullOrEmpty(options.Bucket) && !IsBucketName(options.Bucket))
        {
            failures.Add($"{Name}.Bucket '{options.Bucket}' is not a bucket name (3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit).");
        }

        if (options.KeyPrefix.Length > 0 && !IsKeyPrefix(options.KeyPrefix))
        {
            failures.Add($"{Name}.KeyPrefix '{options.KeyPrefix}' must not start or end with '/', hold an empty, '.' or '..' segment or a control character, or be longer than 512 characters.");
        }

        if (string.IsNullOrWhiteSpace(options.Region))
        {
            failures.Add($"{Name}.Region must not be blank.");
        }

        foreach (var (setting, secret) in new[]
        {
            (nameof(options.AccessKeySecret), options.AccessKeySecret),
            (nameof(options.SecretKeySecret), options.SecretKeySecret),
            (nameof(options.SessionTokenSecret), options.SessionTokenSecret),
        })
        {
            if (!string.IsNullOrEmpty(secret) && !IsSecretName(secret))
            {
                failures.Add($"{Name}.{setting} '{secret}' is not a secret name (letters, digits, '-', '_', '.'; not starting with '.').");
            }
        }

        if (string.Equals(options.AccessKeySecret, options.SecretKeySecret, StringComparison.Ordinal))
        {
            failures.Add($"{Name}.AccessKeySecret and SecretKeySecret must name two different secrets.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsBucketName(string bucket) =>
        bucket.Length is >= 3 and <= 63
        && bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
        && char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1])
        && !bucket.Contains("..", StringComparison.Ordinal);

    private static bool IsKeyPrefix(string prefix) =>
        prefix.Length <= 512
        && !prefix.Any(char.IsControl)
        && prefix.Split('/').All(segment => segment is not ("" or "." or ".."));

    private static bool IsSecretName(string secret) =>
        secret.Length <= 255 && secret[0] != '.' && secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

using Amazon.Runtime;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.S3;

/// <summary>
/// The S3 credentials, read by name from the runner's credential sources (secret-mount folder, environment) each
/// time a request is signed, so a rotated secret is picked up without a restart. Every value read is added to the
/// secret masker before it is used; a missing secret is an <see cref="ArtifactStoreException"/> naming it.
/// </summary>
internal sealed class SecretCredentials(ICredentialProvider provider, ISecretMasker masker, S3ArtifactStoreOptions options) : AWSCredentials
{
    private readonly HashSet<string> _masked = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public override ImmutableCredentials GetCredentials() => GetCredentialsAsync().GetAwaiter().GetResult();

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        var accessKey = await ReadAsync(options.AccessKeySecret, required: true).ConfigureAwait(false);
        var secretKey = await ReadAsync(options.SecretKeySecret, required: true).ConfigureAwait(false);
        var token = string.IsNullOrEmpty(options.SessionTokenSecret) ? null : await ReadAsync(options.SessionTokenSecret, required: false).ConfigureAwait(false);
        return new ImmutableCredentials(accessKey, secretKey, token);
    }

    private async Task<string?> ReadAsync(string name, bool required)
    {
        Secret? secret;
        try
        {
            secret = await provider.GetAsync(name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CredentialException ex)
        {
            throw new ArtifactStoreException($"The S3 credentials could not be read: {masker.Apply(ex.Message)}", ex);
        }

        if (secret is null)
        {
            return required
                ? throw new ArtifactStoreException($"The secret '{name}' of the S3 artifact store was not found by any credential source (NecroCode:Credentials).")
                : null;
        }

        using (secret)
        {
            var value = secret.Reveal();
            lock (_gate)
            {
                if (_masked.Add(value))
                {
                    masker.AddSecret(value);
                }
            }

            return value;
        }
    }
}

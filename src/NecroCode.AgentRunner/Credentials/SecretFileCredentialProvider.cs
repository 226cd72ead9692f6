using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>
/// Reads secrets from a folder of files, one secret a file, as Kubernetes and Docker mount them: the file
/// named in <see cref="CredentialOptions.Files"/>, else the file of the secret's own name. A trailing newline
/// is trimmed. Symlinks are followed only while they stay inside the folder; a larger file than
/// <see cref="CredentialOptions.MaxSecretFileBytes"/> is refused.
/// </summary>
internal sealed class SecretFileCredentialProvider : ICredentialProvider
{
    private readonly CredentialOptions _options;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">The credential options; without a <see cref="CredentialOptions.SecretDirectory"/> it has no secrets.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public SecretFileCredentialProvider(IOptions<CredentialOptions> options) =>
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid secret name.</exception>
    /// <exception cref="CredentialException">The file leads outside the folder, is too large, not UTF-8, or unreadable.</exception>
    public async ValueTask<Secret?> GetAsync(string name, CancellationToken cancellationToken)
    {
        CredentialNames.ThrowIfInvalid(name);
        cancellationToken.ThrowIfCancellationRequested();
        if (_options.SecretDirectory is not { } directory)
        {
            return null;
        }

        var fileName = _options.Files.TryGetValue(name, out var mapped) ? mapped : name;
        var path = Path.Join(directory, fileName);
        string real;
        try
        {
            var folder = RealPath.Resolve(directory);
            real = RealPath.Resolve(path);
            if (!RealPath.IsInside(real, folder))
            {
                throw new CredentialException($"The secret file '{path}' for '{name}' leads outside the secret folder '{directory}'; it is refused.");
            }
        }
        catch (IOException ex)
        {
            throw new CredentialException($"The secret file '{path}' for '{name}' could not be resolved: {ex.Message}", ex);
        }

        if (Directory.Exists(real))
        {
            throw new CredentialException($"The secret file '{path}' for '{name}' is a folder, not a file.");
        }

        if (!File.Exists(real))
        {
            return null;
        }

        return await ReadAsync(name, path, real, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Secret> ReadAsync(string name, string path, string real, CancellationToken cancellationToken)
    {
        var limit = _options.MaxSecretFileBytes;
        var buffer = GC.AllocateArray<byte>(limit + 1, pinned: true);
        try
        {
            var length = 0;
            var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                if (stream.Length > limit)
                {
                    throw TooLarge(name, path, limit);
                }

                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                    if (length > limit)
                    {
                        throw TooLarge(name, path, limit);
                    }
                }
            }

            while (length > 0 && buffer[length - 1] is (byte)'\n' or (byte)'\r')
            {
                length--;
            }

            return Secret.FromUtf8(name, buffer.AsSpan(0, length));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
        {
            throw new CredentialException($"The secret file '{path}' for '{name}' could not be read: {ex.GetType().Name}.", ex is System.Text.DecoderFallbackException ? null : ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static CredentialException TooLarge(string name, string path, int limit) =>
        new($"The secret file '{path}' for '{name}' is larger than {limit} bytes; it is refused.");
}

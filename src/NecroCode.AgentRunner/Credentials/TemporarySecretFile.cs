using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>
/// A file that carries a secret to git or the agent (an askpass script, a credentials file): written
/// mode <c>0600</c> (<c>0700</c> when executable) into a private folder of mode <c>0700</c>, overwritten and
/// deleted with its folder on <see cref="Dispose"/>. A failed write leaves nothing behind.
/// </summary>
internal sealed class TemporarySecretFile : IDisposable
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _folder;
    private int _disposed;

    private TemporarySecretFile(string folder, string path)
    {
        _folder = folder;
        Path = path;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>The private folder holding the file.</summary>
    public string Folder => _folder;

    /// <summary>Writes <paramref name="content"/> to a new file in a new private folder.</summary>
    /// <param name="fileName">The file's name (no folders), e.g. <c>askpass.sh</c>.</param>
    /// <param name="content">The content, written as UTF-8.</param>
    /// <param name="executable">Whether the owner may execute the file (a script).</param>
    /// <param name="parentDirectory">Where the private folder is created; default the system temp folder.</param>
    /// <returns>The file; dispose it to remove it.</returns>
    /// <exception cref="ArgumentException"><paramref name="fileName"/> is not a plain file name.</exception>
    /// <exception cref="IOException">The file could not be written (nothing is left behind).</exception>
    public static TemporarySecretFile Create(string fileName, ReadOnlySpan<char> content, bool executable = false, string? parentDirectory = null)
    {
        if (!CredentialNames.IsValidName(fileName))
        {
            throw new ArgumentException($"'{fileName}' is not a plain file name.", nameof(fileName));
        }

        var parent = parentDirectory ?? System.IO.Path.GetTempPath();
        var folder = System.IO.Path.Join(parent, "necrocode-secret-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        var path = System.IO.Path.Join(folder, fileName);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(content.Length));
        try
        {
            CreatePrivateFolder(folder);
            var count = Encoding.UTF8.GetBytes(content, bytes);
            ExclusiveFile.Write(path, bytes.AsSpan(0, count), durable: false, executable ? PrivateFile | UnixFileMode.UserExecute : PrivateFile);
            return new TemporarySecretFile(folder, path);
        }
        catch
        {
            Remove(folder, path);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Overwrites the file with zeros and deletes it and its folder; safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Remove(_folder, Path);
        }
    }

    private static void CreatePrivateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, PrivateFolder);
        }
    }

    private static void Remove(string folder, string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.LinkTarget is null)
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
                Span<byte> zeros = stackalloc byte[4096];
                zeros.Clear();
                for (var left = stream.Length; left > 0; left -= zeros.Length)
                {
                    stream.Write(zeros[..(int)Math.Min(left, zeros.Length)]);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The delete below still removes it.
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

namespace NecroCode.AgentRunner.Posix;

/// <summary>
/// Creating a file that must not exist yet (<c>O_CREAT | O_EXCL</c>): the create fails with an
/// <see cref="IOException"/> when the name is taken, so nothing that exists is ever opened or overwritten.
/// </summary>
internal static class ExclusiveFile
{
    /// <summary>Creates <paramref name="path"/> and opens it for writing.</summary>
    /// <param name="path">The new file.</param>
    /// <param name="asynchronous">Whether the stream does asynchronous I/O.</param>
    /// <param name="mode">The new file's permissions (Unix); the default (umask) when null.</param>
    /// <returns>The stream; other handles may read, write and delete the file meanwhile.</returns>
    /// <exception cref="IOException">The file exists or could not be created.</exception>
    public static FileStream Create(string path, bool asynchronous = false, UnixFileMode? mode = null)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = asynchronous ? FileOptions.Asynchronous : FileOptions.None,
        };
        if (mode is { } unixMode && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Creates <paramref name="path"/> with <paramref name="content"/>.</summary>
    /// <param name="path">The new file.</param>
    /// <param name="content">Its content.</param>
    /// <param name="durable">Whether the content is flushed to the disk (<c>fsync</c>) before this returns.</param>
    /// <param name="mode">The new file's permissions (Unix); the default (umask) when null.</param>
    /// <exception cref="IOException">The file exists, or could not be created or written (a partly written file is left for the caller to remove).</exception>
    public static void Write(string path, ReadOnlySpan<byte> content, bool durable = true, UnixFileMode? mode = null)
    {
        using var stream = Create(path, mode: mode);
        stream.Write(content);
        stream.Flush(flushToDisk: durable);
    }
}

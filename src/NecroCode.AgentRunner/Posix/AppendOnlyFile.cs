namespace NecroCode.AgentRunner.Posix;

/// <summary>
/// A file opened for appending only (<c>O_APPEND</c>, created when missing): every <see cref="Append"/> is one
/// <c>write(2)</c> that the kernel puts at the end of the file, whatever other writers did meanwhile.
/// </summary>
internal sealed class AppendOnlyFile : IDisposable
{
    private readonly UnixFileHandle _handle;

    private AppendOnlyFile(string path, UnixFileHandle handle, bool created)
    {
        Path = path;
        _handle = handle;
        Created = created;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Whether opening it created it: its folder's entry is durable only after <see cref="UnixFile.FsyncDirectory"/>.</summary>
    public bool Created { get; }

    /// <summary>Opens <paramref name="path"/> for appending (and reading), creating it when missing.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The open file.</returns>
    /// <exception cref="IOException">The file could not be opened.</exception>
    public static AppendOnlyFile Open(string path)
    {
        var created = !File.Exists(path);
        return new AppendOnlyFile(path, UnixFile.Open(path, Libc.ReadWrite | Libc.Append | Libc.Create), created);
    }

    /// <summary>The file's current size.</summary>
    /// <exception cref="IOException">The size could not be read.</exception>
    public long Length => _handle.Length(Path);

    /// <summary>Whether the file is empty or its last byte is <paramref name="value"/> (e.g. a complete last line).</summary>
    /// <param name="value">The byte the file should end with.</param>
    /// <returns>False when the file ends in another byte.</returns>
    /// <exception cref="IOException">The file could not be read.</exception>
    public bool IsEmptyOrEndsWith(byte value)
    {
        var length = Length;
        if (length == 0)
        {
            return true;
        }

        var last = new byte[1];
        return _handle.ReadAt(last, length - 1, Path) == 1 && last[0] == value;
    }

    /// <summary>Appends all of <paramref name="bytes"/> with one write; a short write is an error, never continued.</summary>
    /// <param name="bytes">What to append.</param>
    /// <exception cref="IOException">The write failed or was short (disk full).</exception>
    public void Append(byte[] bytes) => _handle.WriteAll(bytes, Path);

    /// <summary>Makes everything written to the file so far durable (<c>fsync(2)</c>).</summary>
    /// <exception cref="IOException">The flush failed.</exception>
    public void Flush() => _handle.Fsync(Path);

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}

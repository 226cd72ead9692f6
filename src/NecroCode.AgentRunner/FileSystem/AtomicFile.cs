using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// Crash-safe documents: write a temp file in the same folder, fsync it, rename it over the target, fsync
/// the folder. A reader sees the old document or the new one, never half of one; a torn or corrupt
/// document is reported by path, never overwritten silently.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically.</summary>
    public static Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteAsync(path, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), cancellationToken);

    /// <summary>Writes what <paramref name="write"/> produces to <paramref name="path"/> atomically; on failure or cancellation nothing remains.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        EnsureDirectory(directory);
        var temp = TempPathFor(path);
        try
        {
            var stream = ExclusiveFile.Create(temp, asynchronous: true);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        UnixFile.FsyncDirectory(directory);
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> atomically, synchronously — for callers that
    /// cannot await (e.g. a state-change callback). On failure nothing half-written remains.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(path)!;
        EnsureDirectory(directory);
        var temp = TempPathFor(path);
        try
        {
            ExclusiveFile.Write(temp, content);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        UnixFile.FsyncDirectory(directory);
    }

    /// <summary>
    /// Creates <paramref name="path"/> with its whole content, or not at all when it exists (<c>O_EXCL</c> semantics
    /// without a reader ever seeing it half-written): the content goes to a temp file beside it first, which is then
    /// hard-linked to <paramref name="path"/> — <c>link(2)</c> fails when the name is taken.
    /// </summary>
    /// <returns>Whether this call created the file.</returns>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content)
    {
        var temp = TempPathFor(path);
        try
        {
            ExclusiveFile.Write(temp, content);
            if (!UnixFile.TryLink(temp, path))
            {
                return false;
            }

            UnixFile.FsyncDirectory(Path.GetDirectoryName(path)!);
            return true;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Serializes <paramref name="value"/> and writes it atomically.</summary>
    public static Task WriteJsonAsync<T>(string path, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), cancellationToken);

    /// <summary>Writes a JSON document built as nodes, indented, atomically.</summary>
    public static Task WriteJsonAsync(string path, System.Text.Json.Nodes.JsonNode document, CancellationToken cancellationToken)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            document.WriteTo(writer);
        }

        return WriteAsync(path, buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>Reads a JSON document.</summary>
    /// <returns>The document, or null when the file does not exist.</returns>
    /// <exception cref="InvalidDataException">The file is empty, torn or not the expected JSON; the message names it.</exception>
    public static async Task<T?> ReadJsonAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        if (await ReadBytesAsync(path, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, typeInfo) ?? throw new JsonException("The document is null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The file '{path}' is corrupt or torn ({bytes.Length} bytes): {ex.Message}", ex);
        }
    }

    /// <summary>Reads a JSON object and reads what <paramref name="parse"/> takes from it.</summary>
    /// <returns>What <paramref name="parse"/> returned, or null when the file does not exist.</returns>
    /// <exception cref="InvalidDataException">The file is empty, torn, not an object, or <paramref name="parse"/> found a member of the wrong type; the message names it.</exception>
    public static async Task<T?> ReadJsonObjectAsync<T>(string path, Func<System.Text.Json.Nodes.JsonObject, T> parse, CancellationToken cancellationToken)
        where T : class
    {
        if (await ReadBytesAsync(path, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return null;
        }

        try
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(bytes) as System.Text.Json.Nodes.JsonObject ?? throw new JsonException("The document is not an object.");
            return parse(root);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The file '{path}' is corrupt or torn ({bytes.Length} bytes): {ex.Message}", ex);
        }
    }

    private static async Task<byte[]?> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes a file if it exists and flushes its folder.</summary>
    /// <returns>Whether there was a file.</returns>
    public static bool Delete(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        UnixFile.FsyncDirectory(Path.GetDirectoryName(path)!);
        return true;
    }

    /// <summary>Creates a folder (and its parents); a new folder's entry is flushed in its parent.</summary>
    public static void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        var parent = Path.GetDirectoryName(directory);
        if (parent is not null)
        {
            EnsureDirectory(parent);
        }

        Directory.CreateDirectory(directory);
        if (parent is not null)
        {
            UnixFile.FsyncDirectory(parent);
        }
    }

    /// <summary>A temp file name beside <paramref name="path"/>; hidden (leading dot) and ending in <c>.tmp</c>.</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Deletes a file, ignoring failures (clean-up paths).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover hidden temp file is harmless and never read.
        }
    }
}

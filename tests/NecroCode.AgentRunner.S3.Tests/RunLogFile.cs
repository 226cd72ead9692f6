using System.Security.Cryptography;
using System.Text;

namespace NecroCode.AgentRunner.S3.Tests;

/// <summary>Writes a large run log (JSON lines) to disk a block at a time, never whole in memory.</summary>
internal static class RunLogFile
{
    /// <summary>Writes <paramref name="size"/> bytes of JSON lines to <paramref name="path"/>.</summary>
    /// <returns>The lower-case hex SHA-256 of what was written.</returns>
    public static async Task<string> WriteAsync(string path, long size)
    {
        var block = new byte[1024 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        var line = 0;
        for (long written = 0; written < size;)
        {
            var filled = 0;
            while (filled < block.Length)
            {
                var text = Encoding.ASCII.GetBytes($"{{\"type\":\"output\",\"line\":{line++},\"text\":\"building module {line % 977} of the project\"}}\n");
                var n = Math.Min(text.Length, block.Length - filled);
                text.AsSpan(0, n).CopyTo(block.AsSpan(filled));
                filled += n;
            }

            var count = (int)Math.Min(block.Length, size - written);
            hash.AppendData(block, 0, count);
            await file.WriteAsync(block.AsMemory(0, count));
            written += count;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

using System.Text;

namespace NecroCode.AgentRunner.Specs;

/// <summary>A spec file's text as lines, numbered from 1, whatever its line endings and byte order mark.</summary>
internal sealed class SpecText
{
    private SpecText(string path, IReadOnlyList<string> lines)
    {
        Path = path;
        Lines = lines;
    }

    /// <summary>The file's path, as problems name it.</summary>
    public string Path { get; }

    /// <summary>The lines, without their line endings; <c>Lines[0]</c> is line 1.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>Reads the file (UTF-8, or UTF-16/32 with a byte order mark), or returns null when it does not exist.</summary>
    public static async Task<SpecText?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(path, Decode(bytes));
    }

    /// <summary>Splits <paramref name="text"/> into lines at <c>\r\n</c>, <c>\n</c> or <c>\r</c>.</summary>
    public static SpecText Parse(string path, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        return new SpecText(path, lines);
    }

    /// <summary>Decodes a file's bytes by its byte order mark; UTF-8 without one.</summary>
    public static string Decode(byte[] bytes)
    {
        var encoding = EncodingOf(bytes, out var preamble);
        return encoding.GetString(bytes, preamble, bytes.Length - preamble);
    }

    /// <summary>The encoding a byte order mark names (UTF-8 when there is none) and the mark's length.</summary>
    public static Encoding EncodingOf(ReadOnlySpan<byte> bytes, out int preambleLength)
    {
        Encoding[] marked = [Encoding.UTF32, new UTF32Encoding(bigEndian: true, byteOrderMark: true), Encoding.UTF8, Encoding.Unicode, Encoding.BigEndianUnicode];
        foreach (var encoding in marked)
        {
            var preamble = encoding.Preamble;
            if (preamble.Length > 0 && bytes.StartsWith(preamble))
            {
                preambleLength = preamble.Length;
                return encoding;
            }
        }

        preambleLength = 0;
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    }
}

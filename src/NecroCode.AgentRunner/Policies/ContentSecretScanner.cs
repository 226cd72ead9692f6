using System.Buffers;
using System.Text;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Policies;

/// <summary>
/// Looks for secrets in the content of a file as it is in the workspace, whatever the file holds. The file is
/// streamed in blocks (bounded memory for a file of any size; a secret across a block boundary is still found)
/// through the masker's candidate search. Bytes are decoded leniently as UTF-8 — an invalid byte becomes U+FFFD
/// and does not hide the text around it, so a secret beside Latin-1 or NUL bytes reads as itself — and a file
/// holding a NUL byte is read again as UTF-16 at both byte alignments. A symlink is not followed: its target text
/// is what would be committed, so that is scanned.
/// </summary>
internal sealed class ContentSecretScanner
{
    /// <summary>The bytes read at a time.</summary>
    internal const int BlockBytes = 64 * 1024;

    /// <summary>Findings reported per file at most; reading stops there.</summary>
    internal const int MaxFindingsPerFile = 10;

    /// <summary>With a masker other than <see cref="SecretMasker"/>, lines longer than this are checked in pieces.</summary>
    private const int MaxFallbackLine = 1024 * 1024;

    private const int ContextChars = 50;

    private readonly ISecretMasker _masker;

    /// <summary>Creates a scanner.</summary>
    /// <param name="masker">Recognises secrets and token shapes.</param>
    public ContentSecretScanner(ISecretMasker masker) => _masker = masker;

    /// <summary>Scans the file at <paramref name="fullPath"/>.</summary>
    /// <param name="fullPath">The file.</param>
    /// <returns>Where secrets were found, in order, at most <see cref="MaxFindingsPerFile"/>; null when there is no such file.</returns>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public IReadOnlyList<SecretFinding>? ScanFile(string fullPath)
    {
        var findings = new List<SecretFinding>();
        var info = new FileInfo(fullPath);
        if (info.LinkTarget is { } target)
        {
            using var sink = CreateSink(null, findings);
            sink.Write(target);
            sink.Flush();
            return findings;
        }

        if (!info.Exists)
        {
            return null;
        }

        bool sawNul;
        using (var stream = Open(fullPath))
        {
            sawNul = Scan(stream, new UTF8Encoding(false, false).GetDecoder(), null, findings);
        }

        for (var offset = 0; sawNul && offset < 2 && findings.Count < MaxFindingsPerFile; offset++)
        {
            using var stream = Open(fullPath);
            if (stream.Read(new byte[1], 0, offset) == offset)
            {
                Scan(stream, new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: false).GetDecoder(), "UTF-16", findings);
            }
        }

        return findings;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);

    /// <summary>Decodes the stream block by block into a sink; returns whether a NUL byte was seen.</summary>
    private bool Scan(Stream stream, Decoder decoder, string? encoding, List<SecretFinding> findings)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(BlockBytes);
        var chars = ArrayPool<char>.Shared.Rent(BlockBytes + 4);
        var sawNul = false;
        try
        {
            using var sink = CreateSink(encoding, findings);
            int read;
            while (findings.Count < MaxFindingsPerFile && (read = stream.Read(bytes, 0, BlockBytes)) > 0)
            {
                sawNul |= bytes.AsSpan(0, read).Contains((byte)0);
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                sink.Write(chars.AsSpan(0, count));
            }

            sink.Write(chars.AsSpan(0, decoder.GetChars([], 0, 0, chars, 0, flush: true)));
            sink.Flush();
            return sawNul;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes, clearArray: true);
            ArrayPool<char>.Shared.Return(chars, clearArray: true);
        }
    }

    private Sink CreateSink(string? encoding, List<SecretFinding> findings) =>
        _masker is SecretMasker masker ? new StreamingSink(masker, encoding, findings) : new LineSink(_masker, encoding, findings);

    /// <summary>The text around a mask: at most <see cref="ContextChars"/> either side, within its line.</summary>
    private static string Excerpt(ReadOnlySpan<char> text, int maskStart, int maskLength)
    {
        var from = Math.Max(0, maskStart - ContextChars);
        var newline = text[from..maskStart].LastIndexOf('\n');
        if (newline >= 0)
        {
            from += newline + 1;
        }

        var maskEnd = Math.Min(text.Length, maskStart + maskLength);
        var to = Math.Min(text.Length, maskEnd + ContextChars);
        newline = text[maskEnd..to].IndexOf('\n');
        if (newline >= 0)
        {
            to = maskEnd + newline;
        }

        return text[from..to].Trim().ToString();
    }

    /// <summary>Receives decoded text and records findings.</summary>
    private abstract class Sink(string? encoding, List<SecretFinding> findings) : IDisposable
    {
        private int _lastLine;

        public abstract void Write(ReadOnlySpan<char> text);

        public abstract void Flush();

        public virtual void Dispose()
        {
        }

        protected void Found(int line, string excerpt)
        {
            if (line != _lastLine && findings.Count < MaxFindingsPerFile)
            {
                findings.Add(new SecretFinding(line, excerpt, encoding));
                _lastLine = line;
            }
        }
    }

    /// <summary>Streams through a <see cref="ChunkMasker"/>; lines are counted in its output.</summary>
    private sealed class StreamingSink : Sink
    {
        private readonly ChunkMasker _chunks;
        private readonly int _maskLength;
        private int _line = 1;

        public StreamingSink(SecretMasker masker, string? encoding, List<SecretFinding> findings)
            : base(encoding, findings)
        {
            _chunks = new ChunkMasker(masker);
            _chunks.Output.MaskStarts = [];
            _maskLength = masker.Mask.Length;
        }

        public override void Write(ReadOnlySpan<char> text)
        {
            if (_chunks.Write(text))
            {
                Collect();
            }
        }

        public override void Flush()
        {
            if (_chunks.Flush())
            {
                Collect();
            }
        }

        public override void Dispose()
        {
            _chunks.Dispose();
            base.Dispose();
        }

        private void Collect()
        {
            var output = _chunks.Output.Written;
            var counted = 0;
            foreach (var start in _chunks.Output.MaskStarts!)
            {
                _line += output[counted..start].Count('\n');
                counted = start;
                Found(_line, Excerpt(output, start, _maskLength));
            }

            _line += output[counted..].Count('\n');
        }
    }

    /// <summary>For any other <see cref="ISecretMasker"/>: masks line by line with <see cref="ISecretMasker.Apply"/>.</summary>
    private sealed class LineSink(ISecretMasker masker, string? encoding, List<SecretFinding> findings) : Sink(encoding, findings)
    {
        private readonly StringBuilder _text = new();
        private int _line = 1;

        public override void Write(ReadOnlySpan<char> text)
        {
            while (!text.IsEmpty)
            {
                var newline = text.IndexOf('\n');
                var piece = newline < 0 ? text : text[..newline];
                var room = MaxFallbackLine - _text.Length;
                _text.Append(piece[..Math.Min(room, piece.Length)]);
                if (piece.Length >= room)
                {
                    Check();
                    text = text[room..];
                    continue;
                }

                if (newline < 0)
                {
                    return;
                }

                Check();
                _line++;
                text = text[(newline + 1)..];
            }
        }

        public override void Flush() => Check();

        private void Check()
        {
            var text = _text.ToString();
            _text.Clear();
            var masked = masker.Apply(text);
            if (!ReferenceEquals(masked, text) && masked != text)
            {
                var start = Math.Max(0, masked.IndexOf(masker.Mask, StringComparison.Ordinal));
                Found(_line, Excerpt(masked, start, masker.Mask.Length));
            }
        }
    }
}

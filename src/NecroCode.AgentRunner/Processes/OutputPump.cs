using System.Buffers;
using System.Text;
using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// Reads one output stream of a child to its end, line by line in bounded memory: lines longer than the
/// maximum are split, each line is masked, published as an <see cref="OutputLine"/> and kept in a tail buffer.
/// </summary>
/// <remarks>
/// <para>
/// A line longer than the maximum is cut where no secret would be split: with a <see cref="SecretMasker"/> the pump
/// holds back the longest secret variant minus one character past the maximum, and when a secret variant or a token
/// shape starts before the cut and does not end by it, the cut moves to where it starts (so it is masked whole in the
/// next piece). Only a secret longer than a whole piece, or a masker that is not a <see cref="SecretMasker"/>
/// (which cannot say where its secrets are), is cut at the maximum.
/// </para>
/// <para>
/// Reads are asynchronous (no thread is held while the child is quiet) into one pooled block, decoded in bulk.
/// With a <see cref="SecretMasker"/> each decoded block is searched for secret candidates once; a line that lies
/// wholly inside a block without any candidate cannot change when masked and skips the per-line masking call
/// (unless secrets were added since the block was searched).
/// Every other line is masked on its own, as before, so each event is masked exactly as
/// <see cref="ISecretMasker.Apply(string)"/> would mask it. With a sink that can apply back-pressure
/// (<see cref="IAsyncRunEventSink"/>, the run's event channel) the lines of a read are published as one
/// <see cref="OutputBlock"/> (no string or event per line) before the next read, waiting while the channel is full, so
/// a child printing faster than the run log is written is slowed down through its pipe instead of filling memory.
/// Any other sink gets one <see cref="OutputLine"/> per line, as it is read.
/// </para>
/// </remarks>
internal sealed class OutputPump
{
    private const int ReadSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly OutputPublisher _publisher;
    private readonly ISecretMasker _masker;
    private readonly SecretMasker? _blockMasker;
    private readonly int _maxLineLength;
    private char[] _line;
    private int _lineLength;

    // Whether the current line so far lies wholly inside blocks that hold no secret candidate.
    private bool _lineClean;
    private bool _blockClean;
    private MaskingSnapshot? _blockSnapshot;

    /// <summary>Creates a pump.</summary>
    public OutputPump(Stream stream, OutputSource source, string step, IRunEventSink? events, ISecretMasker masker, int maxLineLength, int captureLimit, Action<Exception> onSinkError)
    {
        _stream = stream;
        _publisher = new OutputPublisher(step, source, events, masker, captureLimit, onSinkError);
        _masker = masker;
        // A shortcut only: the built-in masker can say that a block holds nothing it would change, so that its lines
        // need no masking pass. What is masked never depends on it; any other masker masks every line.
        _blockMasker = masker as SecretMasker;
        _maxLineLength = Math.Max(1, maxLineLength);
        _line = new char[Math.Min(_maxLineLength, 1024)];
    }

    /// <summary>Number of lines read.</summary>
    public long Lines { get; private set; }

    /// <summary>The kept (masked) tail, without a final line break.</summary>
    public string Tail => _publisher.Tail;

    /// <summary>Starts pumping on the thread pool with asynchronous reads.</summary>
    /// <returns>A task that ends at the end of the stream.</returns>
    public Task StartAsync() => Task.Run(PumpAsync);

    private async Task PumpAsync()
    {
        var decoder = new UTF8Encoding(false).GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(ReadSize);
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(ReadSize));
        try
        {
            try
            {
                int read;
                while ((read = await _stream.ReadAsync(bytes.AsMemory(0, ReadSize)).ConfigureAwait(false)) > 0)
                {
                    var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                    Feed(chars.AsSpan(0, count));
                    await _publisher.FlushAsync().ConfigureAwait(false);
                }
            }
            catch (IOException)
            {
                // The pipe was closed under us (the runner gave up waiting for the end of the stream).
            }
            catch (ObjectDisposedException)
            {
                // Same as above.
            }
            catch (OperationCanceledException)
            {
                // Same as above: a pending read ends this way when the pipe is disposed.
            }

            var rest = decoder.GetChars([], 0, 0, chars, 0, flush: true);
            Feed(chars.AsSpan(0, rest));
            if (_lineLength > 0)
            {
                EndLine();
            }

            await _publisher.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private void Feed(ReadOnlySpan<char> text)
    {
        _blockClean = IsClean(text);

        // A line begun in an earlier block may hold a secret across the boundary: it is always masked.
        _lineClean = _lineLength == 0 && _blockClean;

        while (!text.IsEmpty)
        {
            var end = text.IndexOf('\n');

            // A whole line inside the block goes out without being copied first.
            if (_lineLength == 0 && end >= 0 && end <= _maxLineLength)
            {
                EmitLine(text[..end]);
                text = text[(end + 1)..];
                continue;
            }

            var part = end < 0 ? text : text[..end];
            while (!part.IsEmpty)
            {
                // Up to the maximum plus the hold-back is kept, so a cut can be moved before a secret.
                var window = _maxLineLength + HoldBack();
                if (_lineLength >= window)
                {
                    EmitPiece(lineEnds: false);
                }

                var take = Math.Min(window - _lineLength, part.Length);
                EnsureRoom(_lineLength + take);
                part[..take].CopyTo(_line.AsSpan(_lineLength));
                _lineLength += take;
                part = part[take..];
            }

            if (end < 0)
            {
                return;
            }

            EndLine();
            text = text[(end + 1)..];
        }
    }

    /// <summary>Emits the buffered rest of a line that ended, in pieces of at most the maximum.</summary>
    private void EndLine()
    {
        while (_lineLength > _maxLineLength)
        {
            EmitPiece(lineEnds: true);
        }

        Emit();
    }

    /// <summary>Characters kept past the maximum before a long line is cut: the longest secret variant minus one.</summary>
    private int HoldBack() => Math.Max(0, _masker.CutLookahead);

    /// <summary>Emits the first piece of the buffered long line, cut where no secret is split, and keeps the rest.</summary>
    private void EmitPiece(bool lineEnds)
    {
        var cut = ChooseCut(_line.AsSpan(0, _lineLength), lineEnds);
        var rest = _lineLength - cut;
        _lineLength = cut;
        Emit();
        _line.AsSpan(cut, rest).CopyTo(_line);
        _lineLength = rest;

        // The rest may hold text of earlier blocks: it is always masked.
        _lineClean = false;
    }

    /// <summary>Where to cut a long line: at the maximum, or earlier, where the masker says a secret would cross the cut.</summary>
    private int ChooseCut(ReadOnlySpan<char> line, bool lineEnds)
    {
        var limit = Math.Min(_maxLineLength, line.Length);
        return Math.Clamp(_masker.FindCut(line, limit, lineEnds), 1, Math.Max(1, limit));
    }

    /// <summary>Whether no part of <paramref name="text"/> could be changed by the masker's current secrets.</summary>
    private bool IsClean(ReadOnlySpan<char> text)
    {
        if (_blockMasker is null)
        {
            return false;
        }

        _blockSnapshot = _blockMasker.Current;
        var finder = new CandidateFinder(_blockSnapshot, previous: '\0');
        return finder.Next(text, 0) < 0;
    }

    private void EnsureRoom(int length)
    {
        if (length > _line.Length)
        {
            Array.Resize(ref _line, Math.Max(length, Math.Min(_maxLineLength, _line.Length * 2)));
        }
    }

    private void Emit()
    {
        var length = _lineLength;
        _lineLength = 0;
        EmitLine(_line.AsSpan(0, length));
    }

    private void EmitLine(ReadOnlySpan<char> line)
    {
        if (!line.IsEmpty && line[^1] == '\r')
        {
            line = line[..^1];
        }

        // A secret added since the block was searched may be in it: then the line is masked.
        var clean = _lineClean && ReferenceEquals(_blockSnapshot, _blockMasker!.Current);

        // The next line starts inside the current block.
        _lineClean = _blockClean;
        Lines++;
        _publisher.Add(clean ? line : _masker.Apply(line.ToString()));
    }
}

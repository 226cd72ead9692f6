using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NecroCode.AgentRunner.Events;

/// <summary>
/// Writes a run log (<see cref="RunLogFormat"/>) through one reused <see cref="Utf8JsonWriter"/> into a buffered
/// stream. Output lines are batched: they reach the file when the buffer is full or when <see cref="Flush"/> is
/// called (the event channel does so at most <see cref="RunEventChannel.FlushInterval"/> after it delivered them, and a
/// crash loses at most the lines of that batch). Every other event is written to the file at once, together with the
/// lines before it.
/// </summary>
/// <remarks>
/// The text of output lines is escaped only as JSON requires (non-ASCII text stays as it is), so a log of
/// plain output stays close to the output's size. Not thread-safe: one writer (the channel's loop) at a time.
/// </remarks>
internal sealed class RunLogWriter : IAsyncDisposable, IDisposable
{
    /// <summary>The size of the file buffer: output lines are written to the file in blocks of about this size.</summary>
    public const int BufferSize = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // What a line needs to be copied as it is: printable ASCII, no quote, no backslash.
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).Where(c => c is not '"' and not '\\')));

    private static ReadOnlySpan<byte> PlainSuffix => "\"}\n"u8;

    private readonly Stream _stream;
    private byte[] _prefix = [];
    private string? _prefixStep;
    private OutputSource _prefixSource;
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates a writer over a stream, which it owns.</summary>
    /// <param name="stream">Where the lines go; buffered by the caller or not.</param>
    public RunLogWriter(Stream stream)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(_line, WriterOptions);
    }

    /// <summary>Writes one event as a line; an event other than an output line goes to the file at once.</summary>
    /// <param name="runEvent">The event.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Write(RunEvent runEvent)
    {
        try
        {
            RunLogFormat.Write(_writer, runEvent);
            _writer.Flush();
            _line.Write("\n"u8);
            _stream.Write(_line.WrittenSpan);
        }
        finally
        {
            _writer.Reset();
            _line.ResetWrittenCount();
        }

        if (runEvent is not OutputLine)
        {
            _stream.Flush();
        }
    }

    /// <summary>Writes a block of output lines, one compact line each, batched like any output line.</summary>
    /// <param name="block">The lines.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <remarks>
    /// A line of printable ASCII without a quote or a backslash (most output) needs no escaping: it is copied
    /// between the block's prefix (<c>{"o":"step","t":"</c>) and <c>"}</c>, byte for byte what the JSON writer
    /// would write; any other line goes through the writer.
    /// </remarks>
    public void Write(OutputBlock block)
    {
        try
        {
            var prefix = Prefix(block);
            for (var i = 0; i < block.Count; i++)
            {
                var text = block.Line(i);
                if (text.ContainsAnyExcept(Plain))
                {
                    RunLogFormat.WriteOutput(_writer, block.Step, block.Source, text);
                    _writer.Flush();
                    _writer.Reset();
                    _line.Write("\n"u8);
                }
                else
                {
                    var span = _line.GetSpan(prefix.Length + text.Length + PlainSuffix.Length);
                    prefix.CopyTo(span);
                    System.Text.Ascii.FromUtf16(text, span[prefix.Length..], out var written);
                    PlainSuffix.CopyTo(span[(prefix.Length + written)..]);
                    _line.Advance(prefix.Length + written + PlainSuffix.Length);
                }

                if (_line.WrittenCount >= BufferSize)
                {
                    _stream.Write(_line.WrittenSpan);
                    _line.ResetWrittenCount();
                }
            }

            _stream.Write(_line.WrittenSpan);
        }
        finally
        {
            _writer.Reset();
            _line.ResetWrittenCount();
        }
    }

    /// <summary><c>{"o":"step","t":"</c> for the block's step and stream, as the JSON writer writes it.</summary>
    private ReadOnlySpan<byte> Prefix(OutputBlock block)
    {
        if (_prefixStep != block.Step || _prefixSource != block.Source)
        {
            var buffer = new ArrayBufferWriter<byte>(64);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                // The writer's own output for an empty text, less the closing quote and brace.
                RunLogFormat.WriteOutput(writer, block.Step, block.Source, []);
            }

            _prefix = buffer.WrittenSpan[..^"\"}"u8.Length].ToArray();
            _prefixStep = block.Step;
            _prefixSource = block.Source;
        }

        return _prefix;
    }

    /// <summary>Writes the lines buffered so far to the file (a write, not an fsync).</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Flush() => _stream.Flush();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}

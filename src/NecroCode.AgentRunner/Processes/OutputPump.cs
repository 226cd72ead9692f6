using System.Text;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// Reads one output stream of a child to its end, line by line in bounded memory: lines longer than the
/// maximum are split, each line is masked, published as an <see cref="OutputLine"/> and kept in a tail buffer.
/// </summary>
internal sealed class OutputPump
{
    private const int ReadSize = 32 * 1024;

    private readonly Stream _stream;
    private readonly OutputSource _source;
    private readonly string _step;
    private readonly IRunEventSink? _events;
    private readonly ISecretMasker _masker;
    private readonly int _maxLineLength;
    private readonly TailBuffer _tail;
    private readonly Action<Exception> _onSinkError;
    private char[] _line;
    private int _lineLength;
    private bool _sinkFailed;

    /// <summary>Creates a pump.</summary>
    public OutputPump(Stream stream, OutputSource source, string step, IRunEventSink? events, ISecretMasker masker, int maxLineLength, int captureLimit, Action<Exception> onSinkError)
    {
        _stream = stream;
        _source = source;
        _step = step;
        _events = events;
        _masker = masker;
        _maxLineLength = Math.Max(1, maxLineLength);
        _tail = new TailBuffer(captureLimit);
        _onSinkError = onSinkError;
        _line = new char[Math.Min(_maxLineLength, 1024)];
    }

    /// <summary>Number of lines read.</summary>
    public long Lines { get; private set; }

    /// <summary>The kept (masked) tail, without a final line break.</summary>
    public string Tail
    {
        get
        {
            var text = _tail.ToString();
            return text.EndsWith('\n') ? text[..^1] : text;
        }
    }

    /// <summary>Starts pumping on a dedicated thread (reads on pipes block).</summary>
    /// <returns>A task that ends at the end of the stream.</returns>
    public Task StartAsync() =>
        Task.Factory.StartNew(Pump, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    private void Pump()
    {
        var decoder = new UTF8Encoding(false).GetDecoder();
        var bytes = new byte[ReadSize];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(ReadSize)];
        try
        {
            int read;
            while ((read = _stream.Read(bytes, 0, bytes.Length)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                Feed(chars.AsSpan(0, count));
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

        var rest = decoder.GetChars([], 0, 0, chars, 0, flush: true);
        Feed(chars.AsSpan(0, rest));
        if (_lineLength > 0)
        {
            Emit();
        }
    }

    private void Feed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            var end = text.IndexOf('\n');
            var part = end < 0 ? text : text[..end];
            while (!part.IsEmpty)
            {
                if (_lineLength == _maxLineLength)
                {
                    Emit();
                }

                var room = _maxLineLength - _lineLength;
                var take = Math.Min(room, part.Length);
                EnsureRoom(_lineLength + take);
                part[..take].CopyTo(_line.AsSpan(_lineLength));
                _lineLength += take;
                part = part[take..];
            }

            if (end < 0)
            {
                return;
            }

            Emit();
            text = text[(end + 1)..];
        }
    }

    private void EnsureRoom(int length)
    {
        if (length > _line.Length)
        {
            Array.Resize(ref _line, Math.Min(_maxLineLength, Math.Max(length, _line.Length * 2)));
        }
    }

    private void Emit()
    {
        var length = _lineLength;
        if (length > 0 && _line[length - 1] == '\r')
        {
            length--;
        }

        _lineLength = 0;
        var masked = _masker.Apply(new string(_line, 0, length));
        Lines++;
        _tail.Append(masked);
        _tail.Append("\n");
        if (_events is null || _sinkFailed)
        {
            return;
        }

        try
        {
            _events.Publish(new OutputLine(_step, _source, masked));
        }
#pragma warning disable CA1031 // A failing sink must not stop the stream from being drained (the child would block).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _sinkFailed = true;
            _onSinkError(ex);
        }
    }
}

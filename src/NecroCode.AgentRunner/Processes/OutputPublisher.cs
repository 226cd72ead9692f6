using NecroCode.AgentRunner.Events;

namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// Where the masked lines of one output stream go: into the tail kept for the process's result, and to the run's
/// events — in blocks (<see cref="OutputBlock"/>) to a sink that takes them with back-pressure (the run's event channel),
/// one <see cref="OutputLine"/> per line to any other sink. Used by one <see cref="OutputPump"/>, which masks; a sink
/// that fails is told about once and then no longer called, so that the stream is still drained.
/// </summary>
internal sealed class OutputPublisher
{
    // The most characters and lines in one block: its text and line ends stay small objects (under 85,000 bytes), which
    // the GC reclaims young. Only a single line longer than this (MaxLineLength above it) makes a larger block.
    private const int BlockChars = 32 * 1024;
    private const int BlockLines = 4 * 1024;

    private readonly string _step;
    private readonly OutputSource _source;
    private readonly IRunEventSink? _events;
    private readonly IAsyncRunEventSink? _blockSink;
    private readonly ISecretMasker _maskedBy;
    private readonly TailBuffer _tail;
    private readonly Action<Exception> _onSinkError;
    private readonly OutputBlockBuilder _block = new(BlockChars);
    private readonly List<OutputBlock> _blocks = [];
    private bool _sinkFailed;

    /// <summary>Creates a publisher.</summary>
    /// <param name="step">The step whose process prints.</param>
    /// <param name="source">The stream.</param>
    /// <param name="events">Where the lines go; none when null.</param>
    /// <param name="maskedBy">The masker that masked the lines (a sink with the same one does not mask them again).</param>
    /// <param name="captureLimit">The characters of the tail kept.</param>
    /// <param name="onSinkError">Told once when the sink fails.</param>
    public OutputPublisher(string step, OutputSource source, IRunEventSink? events, ISecretMasker maskedBy, int captureLimit, Action<Exception> onSinkError)
    {
        _step = step;
        _source = source;
        _events = events;
        _blockSink = events as IAsyncRunEventSink;
        _maskedBy = maskedBy;
        _tail = new TailBuffer(captureLimit);
        _onSinkError = onSinkError;
    }

    /// <summary>The kept (masked) tail, without a final line break.</summary>
    public string Tail
    {
        get
        {
            var text = _tail.ToString();
            return text.EndsWith('\n') ? text[..^1] : text;
        }
    }

    /// <summary>Takes one masked line: collected for <see cref="FlushAsync"/> with a block sink, else published at once.</summary>
    /// <param name="line">The masked line, without its line break.</param>
    public void Add(ReadOnlySpan<char> line)
    {
        if (_blockSink is not null)
        {
            if (_block.Count > 0 && (_block.Length + line.Length + 1 > BlockChars || _block.Count >= BlockLines))
            {
                CloseBlock();
            }

            _block.Add(line);
            return;
        }

        var text = line.ToString();
        _tail.Append(text);
        _tail.Append("\n");
        if (_events is null || _sinkFailed)
        {
            return;
        }

        try
        {
            _events.Publish(new OutputLine(_step, _source, text));
        }
#pragma warning disable CA1031 // A failing sink must not stop the stream from being drained (the child would block).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failed(ex);
        }
    }

    /// <summary>
    /// Publishes the lines collected since the last call (one block, or several for a long read) to the block sink,
    /// waiting while it is full.
    /// </summary>
    /// <returns>A task that completes once the sink took them.</returns>
    public async Task FlushAsync()
    {
        if (_blockSink is null)
        {
            return;
        }

        if (_block.Count > 0)
        {
            CloseBlock();
        }

        foreach (var block in _blocks)
        {
            if (_sinkFailed)
            {
                break;
            }

            try
            {
                await _blockSink.PublishOutputAsync(block, _maskedBy).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A failing sink must not stop the stream from being drained (the child would block).
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Failed(ex);
            }
        }

        _blocks.Clear();
    }

    /// <summary>Ends the block being collected; its lines join the tail at once (a stop that stops waiting for the sink sees them).</summary>
    private void CloseBlock()
    {
        var block = _block.Build(_step, _source);
        _tail.Append(block.Text);
        _blocks.Add(block);
    }

    private void Failed(Exception ex)
    {
        _sinkFailed = true;
        _onSinkError(ex);
    }
}

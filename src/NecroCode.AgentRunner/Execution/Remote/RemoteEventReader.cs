using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// Reads back, line by line, what a runner out of process (<c>necrocode-runner run --output jsonl</c>) prints:
/// standard-output lines are its run events in the run log's format (<see cref="RunLogFormat"/>; forwarded as they
/// come, a compact output line with the envelope of the event before it) or its one final <c>run.result</c> line (kept);
/// other lines and standard error become <see cref="OutputLine"/> events of step <see cref="Step"/>. The inner
/// <see cref="RunFinished"/> is held back: the host settles the run and says how it ended itself.
/// </summary>
/// <remarks>
/// Nothing read here is trusted: every line passes the host's masker (when there is one) before it is parsed, a line
/// longer than <see cref="MaxLineChars"/> is cut and never parsed, and every <c>run.result</c> line is counted
/// (<see cref="ResultLines"/>: the runner writes exactly one). Feed it from one reader at a time.
/// </remarks>
public sealed class RemoteEventReader
{
    /// <summary>The step of the output lines that are not run events: <c>container</c>.</summary>
    public const string Step = "container";

    /// <summary>The longest line kept whole, in characters (4 Mi); the rest of a longer line is dropped.</summary>
    public const int MaxLineChars = 4 * 1024 * 1024;

    private const string ResultType = "run.result";
    private readonly IRunEventSink _events;
    private readonly ISecretMasker? _masker;
    private readonly Action<string>? _onStandardError;
    private readonly Source _stdout = new();
    private readonly Source _stderr = new();
    private readonly RunLogReader _log = new();
    private char[] _chars = [];

    /// <summary>
    /// Creates a reader that forwards to <paramref name="events"/> only; <see cref="RemoteRunSettlement.CreateReader"/>
    /// makes one that forwards to the request's sink and the runner's observers.
    /// </summary>
    /// <param name="events">Where the run's events are forwarded.</param>
    /// <param name="masker">Masks every line before it is parsed; optional.</param>
    /// <param name="onStandardError">Also told each (masked) standard-error line, e.g. to log it; optional.</param>
    /// <exception cref="ArgumentNullException"><paramref name="events"/> is null.</exception>
    public RemoteEventReader(IRunEventSink events, ISecretMasker? masker = null, Action<string>? onStandardError = null)
    {
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _masker = masker;
        _onStandardError = onStandardError;
    }

    /// <summary>The runner's result, from its <c>run.result</c> line (the last one when it wrote several); null without one.</summary>
    public RunnerResult? Result { get; private set; }

    /// <summary>How many <c>run.result</c> lines the runner wrote; more than one means its output was forged.</summary>
    public int ResultLines { get; private set; }

    /// <summary>The runner id of the first event that named one; null before.</summary>
    public string? RunnerId { get; private set; }

    /// <summary>The last standard-error line (masked); null without one.</summary>
    public string? LastError { get; private set; }

    /// <summary>Reads the next bytes of one of the runner's streams; lines may be split anywhere across calls.</summary>
    /// <param name="bytes">UTF-8 bytes, as they came.</param>
    /// <param name="source">The stream they came from.</param>
    public void Write(ReadOnlySpan<byte> bytes, OutputSource source)
    {
        var isError = source == OutputSource.StandardError;
        var state = isError ? _stderr : _stdout;
        var needed = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < needed)
        {
            _chars = new char[needed];
        }

        var count = state.Decoder.GetChars(bytes, _chars, flush: false);
        foreach (var c in _chars.AsSpan(0, count))
        {
            if (c == '\n')
            {
                Flush(isError);
            }
            else if (c == '\r')
            {
                continue;
            }
            else if (state.Line.Length < MaxLineChars)
            {
                state.Line.Append(c);
            }
            else
            {
                state.Cut = true;
            }
        }
    }

    /// <summary>Ends the streams: a last line without a newline is read as a line.</summary>
    public void Complete()
    {
        Flush(false);
        Flush(true);
    }

    private void Flush(bool isError)
    {
        var state = isError ? _stderr : _stdout;
        if (state.Line.Length == 0)
        {
            return;
        }

        var line = _masker is null ? state.Line.ToString() : _masker.Apply(state.Line.ToString());
        state.Line.Clear();
        var cut = state.Cut;
        state.Cut = false;
        if (cut)
        {
            line += $" [line cut at {MaxLineChars} characters]";
        }

        if (isError)
        {
            LastError = line;
            _onStandardError?.Invoke(line);
            _events.Publish(new OutputLine(Step, OutputSource.StandardError, line));
            return;
        }

        if (!cut && line.StartsWith('{') && TryReadEvent(line))
        {
            return;
        }

        _events.Publish(new OutputLine(Step, OutputSource.StandardOutput, line));
    }

    /// <summary>Takes a result line or forwards a run event; false when the line is neither (plain output).</summary>
    private bool TryReadEvent(string line)
    {
        try
        {
            if (line.Contains("\"" + ResultType + "\"", StringComparison.Ordinal) && JsonNode.Parse(line) is JsonObject node
                && (string?)node["type"] == ResultType && node["result"] is JsonNode result)
            {
                ResultLines++;
                Result = result.Deserialize<RunnerResult>(AgentRunnerJson.Options);
                return true;
            }

            var runEvent = _log.Read(line);
            RunnerId ??= string.IsNullOrEmpty(runEvent.RunnerId) ? null : runEvent.RunnerId;
            if (runEvent is not RunFinished)
            {
                _events.Publish(runEvent);
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The partial line and decoder of one stream.</summary>
    private sealed class Source
    {
        public Decoder Decoder { get; } = Encoding.UTF8.GetDecoder();

        public StringBuilder Line { get; } = new();

        public bool Cut { get; set; }
    }
}

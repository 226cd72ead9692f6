using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet;

namespace NecroCode.AgentRunner.Docker;

/// <summary>
/// Reads a container's multiplexed output line by line: stdout lines are run events (forwarded) or the
/// final <c>run.result</c> line (kept); other lines and stderr become <see cref="OutputLine"/> events.
/// Every line passes the host's secret masker (when there is one) before it is parsed. The container's
/// <see cref="RunFinished"/> is kept, not forwarded: the host decides how the run ended and says so itself.
/// Nothing read here is trusted: a line longer than <see cref="MaxLineChars"/> is cut and never parsed, and
/// every <c>run.result</c> line is counted (the runner writes exactly one).
/// </summary>
internal sealed class ContainerOutputReader(IRunEventSink events, Action<string> onStderr, ISecretMasker? masker = null)
{
    public const string Step = "container";
    /// <summary>The longest line kept whole, in characters (4 Mi); the rest of a longer line is dropped.</summary>
    public const int MaxLineChars = 4 * 1024 * 1024;
    private const string ResultType = "run.result";
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Decoder _stdoutDecoder = Encoding.UTF8.GetDecoder();
    private readonly Decoder _stderrDecoder = Encoding.UTF8.GetDecoder();
    private bool _stdoutCut;
    private bool _stderrCut;

    public RunnerResult? Result { get; private set; }

    /// <summary>How many <c>run.result</c> lines the container wrote; more than one means its output was forged.</summary>
    public int ResultLines { get; private set; }

    public string? RunnerId { get; private set; }

    public string? LastError { get; private set; }

    public async Task PumpAsync(MultiplexedStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read.EOF)
            {
                break;
            }

            var isError = read.Target == MultiplexedStream.TargetStream.StandardError;
            var decoder = isError ? _stderrDecoder : _stdoutDecoder;
            var count = decoder.GetChars(buffer, 0, read.Count, chars, 0);
            Append(isError, chars.AsSpan(0, count));
        }

        Flush(false);
        Flush(true);
    }

    private void Append(bool isError, ReadOnlySpan<char> text)
    {
        var pending = isError ? _stderr : _stdout;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                Flush(isError);
            }
            else if (c == '\r')
            {
                continue;
            }
            else if (pending.Length < MaxLineChars)
            {
                pending.Append(c);
            }
            else if (isError)
            {
                _stderrCut = true;
            }
            else
            {
                _stdoutCut = true;
            }
        }
    }

    private void Flush(bool isError)
    {
        var pending = isError ? _stderr : _stdout;
        if (pending.Length == 0)
        {
            return;
        }

        var line = masker is null ? pending.ToString() : masker.Apply(pending.ToString());
        pending.Clear();
        var cut = isError ? _stderrCut : _stdoutCut;
        if (isError)
        {
            _stderrCut = false;
        }
        else
        {
            _stdoutCut = false;
        }
        if (cut)
        {
            line += $" [line cut at {MaxLineChars} characters]";
        }

        if (isError)
        {
            LastError = line;
            onStderr(line);
            events.Publish(new OutputLine(Step, OutputSource.StandardError, line));
            return;
        }

        if (!cut && line.StartsWith('{'))
        {
            try
            {
                if (line.Contains("\"" + ResultType + "\"", StringComparison.Ordinal) && JsonNode.Parse(line) is JsonObject node
                    && (string?)node["type"] == ResultType && node["result"] is JsonNode result)
                {
                    ResultLines++;
                    Result = result.Deserialize<RunnerResult>(AgentRunnerJson.Options);
                    return;
                }

                var runEvent = AgentRunnerJson.DeserializeEvent(line);
                RunnerId ??= string.IsNullOrEmpty(runEvent.RunnerId) ? null : runEvent.RunnerId;
                if (runEvent is RunFinished)
                {
                    return;
                }

                events.Publish(runEvent);
                return;
            }
            catch (JsonException)
            {
                // Not a run event: forwarded as plain output below.
            }
        }

        events.Publish(new OutputLine(Step, OutputSource.StandardOutput, line));
    }
}

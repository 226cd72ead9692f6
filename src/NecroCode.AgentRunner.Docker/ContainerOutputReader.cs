using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet;

namespace NecroCode.AgentRunner.Docker;

/// <summary>
/// Reads a container's multiplexed output line by line: stdout lines are run events (forwarded) or the
/// final <c>run.result</c> line (kept); other lines and stderr become <see cref="OutputLine"/> events.
/// Every line passes the host's secret masker (when there is one) before it is parsed.
/// </summary>
internal sealed class ContainerOutputReader(IRunEventSink events, Action<string> onStderr, ISecretMasker? masker = null)
{
    public const string Step = "container";
    private const string ResultType = "run.result";
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Decoder _stdoutDecoder = Encoding.UTF8.GetDecoder();
    private readonly Decoder _stderrDecoder = Encoding.UTF8.GetDecoder();

    public RunnerResult? Result { get; private set; }

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
            else if (c != '\r')
            {
                pending.Append(c);
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
        if (isError)
        {
            LastError = line;
            onStderr(line);
            events.Publish(new OutputLine(Step, OutputSource.StandardError, line));
            return;
        }

        if (line.StartsWith('{'))
        {
            try
            {
                if (line.Contains("\"" + ResultType + "\"", StringComparison.Ordinal) && JsonNode.Parse(line) is JsonObject node
                    && (string?)node["type"] == ResultType && node["result"] is JsonNode result)
                {
                    Result = result.Deserialize<RunnerResult>(AgentRunnerJson.Options);
                    return;
                }

                var runEvent = AgentRunnerJson.DeserializeEvent(line);
                RunnerId ??= string.IsNullOrEmpty(runEvent.RunnerId) ? null : runEvent.RunnerId;
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

using System.Text.Json;

namespace NecroCode.AgentRunner;

/// <summary>
/// Reads a run log line by line (see <see cref="RunLogFormat"/>): a compact output line gets the sequence after the
/// previous line's and the timestamp, runner and task of the previous event, so every event comes back whole. Feed it
/// the lines of one log in order.
/// </summary>
public sealed class RunLogReader
{
    private RunEvent? _previous;

    /// <summary>Reads the next line.</summary>
    /// <param name="line">The line, without its line ending.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The line is not a run event.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="line"/> is null.</exception>
    public RunEvent Read(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        RunEvent runEvent = RunLogFormat.IsCompactOutput(line)
            ? RunLogFormat.ReadCompactOutput(line) with
            {
                Sequence = (_previous?.Sequence ?? 0) + 1,
                Timestamp = _previous?.Timestamp ?? default,
                RunnerId = _previous?.RunnerId ?? "",
                TaskId = _previous?.TaskId ?? "",
            }
            : AgentRunnerJson.DeserializeEvent(line);
        _previous = runEvent;
        return runEvent;
    }

    /// <summary>Reads every line of one run log, in order; empty lines are skipped.</summary>
    /// <param name="lines">The log's lines.</param>
    /// <returns>The events.</returns>
    /// <exception cref="JsonException">A line is not a run event.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> is null.</exception>
    public static IEnumerable<RunEvent> ReadAll(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return ReadAll(new RunLogReader(), lines);
    }

    private static IEnumerable<RunEvent> ReadAll(RunLogReader reader, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            if (line.Length > 0)
            {
                yield return reader.Read(line);
            }
        }
    }
}

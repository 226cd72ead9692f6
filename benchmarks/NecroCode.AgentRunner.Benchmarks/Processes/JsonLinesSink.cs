namespace NecroCode.AgentRunner.Benchmarks.Processes;

/// <summary>Serializes every event to one JSON line on a stream, like the run log (lock, serialize, write).</summary>
internal sealed class JsonLinesSink(Stream stream) : IRunEventSink
{
    private readonly StreamWriter _writer = new(stream, new System.Text.UTF8Encoding(false), 64 * 1024);
    private readonly Lock _gate = new();

    public long Lines { get; private set; }

    public void Publish(RunEvent runEvent)
    {
        var line = AgentRunnerJson.SerializeLine(runEvent);
        lock (_gate)
        {
            _writer.WriteLine(line);
            Lines++;
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            _writer.Flush();
        }
    }
}

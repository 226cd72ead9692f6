namespace NecroCode.AgentRunner.Cli;

/// <summary>
/// Writes every (masked) run event as one JSON line — the machine-readable output that Docker and
/// Kubernetes modes read back from a runner inside a container.
/// </summary>
internal sealed class JsonLinesObserver(TextWriter writer) : IRunEventObserver
{
    private readonly Lock _gate = new();

    public void OnEvent(RunEvent runEvent)
    {
        var line = AgentRunnerJson.SerializeLine(runEvent);
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}

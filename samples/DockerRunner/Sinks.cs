namespace NecroCode.AgentRunner.Samples.DockerRunner;

/// <summary>Prints the container's run events as they come.</summary>
internal sealed class ConsoleSink : IRunEventSink
{
    public void Publish(RunEvent runEvent)
    {
        var text = runEvent switch
        {
            StepStarted s => "> " + s.Step,
            StepFinished f => $"  {f.Step}: {f.Outcome} ({f.Duration.TotalSeconds:F1}s)",
            OutputLine o => "  | " + o.Text,
            RunFinished r => "= " + r.Outcome,
            _ => null,
        };
        if (text is not null)
        {
            Console.WriteLine(text);
        }
    }
}

/// <summary>
/// Prints each event with the time the host received it and the time the run inside stamped it (both UTC, ms), to see
/// where a run's time goes: the gap before the first event is the container's start and the runner's start inside it.
/// </summary>
internal sealed class TraceSink : IRunEventSink
{
    public void Publish(RunEvent runEvent)
    {
        var name = runEvent switch
        {
            StepStarted s => "> " + s.Step,
            StepFinished f => "< " + f.Step,
            OutputLine => null,
            _ => runEvent.GetType().Name,
        };
        if (name is not null)
        {
            Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} received, {runEvent.Timestamp.UtcDateTime:HH:mm:ss.fff} stamped: {name}");
        }
    }
}

/// <summary>Drops events (measurements).</summary>
internal sealed class NullSink : IRunEventSink
{
    public void Publish(RunEvent runEvent)
    {
    }
}

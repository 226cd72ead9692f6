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

/// <summary>Drops events (measurements).</summary>
internal sealed class NullSink : IRunEventSink
{
    public void Publish(RunEvent runEvent)
    {
    }
}

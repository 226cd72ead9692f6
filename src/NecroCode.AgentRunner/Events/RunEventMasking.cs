namespace NecroCode.AgentRunner.Events;

/// <summary>Returns a copy of a run event with every free-text field masked.</summary>
internal static class RunEventMasking
{
    public static RunEvent Mask(RunEvent runEvent, ISecretMasker masker) => runEvent switch
    {
        OutputLine e => e with { Text = masker.Apply(e.Text) },
        StepFinished e when e.Message is not null => e with { Message = masker.Apply(e.Message) },
        RetryScheduled e => e with { Error = masker.Apply(e.Error) },
        RunWarning e => e with { Message = masker.Apply(e.Message) },
        SandboxApplied e when e.Note is not null => e with { Note = masker.Apply(e.Note) },
        RunFinished e when e.Error is not null => e with { Error = masker.Apply(e.Error) },
        StateChanged e when e.Reason is not null => e with { Reason = masker.Apply(e.Reason) },
        RunStarted e => e with { Title = masker.Apply(e.Title) },
        ArtifactStored e when e.Artifact.Error is not null => e with { Artifact = e.Artifact with { Error = masker.Apply(e.Artifact.Error) } },
        _ => runEvent,
    };
}

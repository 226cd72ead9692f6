using System.Globalization;
using NecroCode.AgentRunner.Specs;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>Prints a line when a task of a spec run starts and when it ends (the run's own progress comes from the runner's observers).</summary>
internal sealed class SpecProgressSink(TextWriter writer) : ISpecEventSink
{
    private readonly Lock _gate = new();

    public void Publish(SpecEvent specEvent)
    {
        var line = specEvent switch
        {
            SpecTaskStarted s => string.Create(CultureInfo.InvariantCulture, $"spec: task {s.TaskId} {(s.Resumed ? "resumes" : "starts")} on {s.Branch}{(s.BaseBranch is null ? "" : $", stacked on {s.BaseBranch} at {SpecTable.Short(s.BaseCommit)}")}"),
            SpecTaskFinished { Result: var r } when r.Outcome is not (SpecTaskOutcome.AlreadyDone or SpecTaskOutcome.Skipped) =>
                string.Create(CultureInfo.InvariantCulture, $"spec: task {r.TaskId} {r.Outcome.ToString().ToLowerInvariant()}{(r.Reason is null ? "" : $": {r.Reason}")}"),
            _ => null,
        };
        if (line is not null)
        {
            lock (_gate)
            {
                writer.WriteLine(line);
            }
        }
    }
}

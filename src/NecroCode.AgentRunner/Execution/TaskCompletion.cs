namespace NecroCode.AgentRunner.Execution;

/// <summary>
/// How a run ends in the task registry, whichever environment ran it: the completion event (TaskCompleted with
/// "Pushed &lt;branch&gt; at &lt;commit&gt;.", or TaskFailed with the error) with its <c>outcome</c>, <c>branch</c>,
/// <c>commit</c>, <c>artifact:&lt;name&gt;</c> and agent spend (<c>spend:…</c>, see <see cref="Budgets.SpendText.AddFields"/>)
/// data (and the tests' comparison with the baseline as <c>tests:*</c>, <see cref="TestExecution.TestComparisonData"/>), and
/// the task's final state.
/// </summary>
/// <param name="Type">The event type: <see cref="TaskEventTypes.TaskCompleted"/> or <see cref="TaskEventTypes.TaskFailed"/>.</param>
/// <param name="State">The task's final state: Done or Failed.</param>
/// <param name="Message">The event's message.</param>
/// <param name="Data">The event's data, in the order the registry shows it.</param>
internal sealed record TaskCompletion(string Type, TaskState State, string? Message, IReadOnlyDictionary<string, string> Data)
{
    /// <summary>The completion of a run that ended with <paramref name="outcome"/>.</summary>
    /// <param name="outcome">How the run ended; only <see cref="RunOutcome.Succeeded"/> completes the task.</param>
    /// <param name="branch">The task's branch, when known.</param>
    /// <param name="commitId">The pushed (or last) commit, when there is one.</param>
    /// <param name="artifacts">The run's artifacts; the stored ones are named with their URIs.</param>
    /// <param name="error">Why the run failed (the failed event's message).</param>
    /// <param name="tests">The last test run's comparison with the baseline, when there is one.</param>
    /// <param name="attempts">The agent's attempts, whose spend the event records; none when null.</param>
    public static TaskCompletion Of(RunOutcome outcome, string? branch, string? commitId, IEnumerable<ArtifactRecord> artifacts, string? error, TestComparison? tests = null, IReadOnlyList<ImplementationResult>? attempts = null)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["outcome"] = outcome.ToString() };
        if (branch is not null)
        {
            data["branch"] = branch;
        }

        if (commitId is not null)
        {
            data["commit"] = commitId;
        }

        foreach (var artifact in artifacts.Where(a => a.Uri is not null))
        {
            data["artifact:" + artifact.Name] = artifact.Uri!.ToString();
        }

        Budgets.SpendText.AddFields(data, attempts ?? []);
        var withTests = TestExecution.TestComparisonData.AddTo(data, tests);
        return outcome == RunOutcome.Succeeded
            ? new TaskCompletion(TaskEventTypes.TaskCompleted, TaskState.Done, $"Pushed {branch} at {commitId}.", withTests)
            : new TaskCompletion(TaskEventTypes.TaskFailed, TaskState.Failed, error, withTests);
    }

    /// <summary>The completion event of <paramref name="task"/>, recorded by <paramref name="runnerId"/> at <paramref name="timestamp"/>.</summary>
    public TaskEvent ToEvent(TaskKey task, string runnerId, DateTimeOffset timestamp) => new(task, Type, timestamp, runnerId, Message, Data);
}

using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Journal;
using NecroCode.AgentRunner.State;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Everything one run knows while it runs; owned by the orchestrator, read and written by its steps. A step's
/// failure is recorded here by the step runner only (<see cref="Fail"/>), from the step's verdict.
/// </summary>
internal sealed class RunContext(TaskContext task, string runnerId, string branch, RunEventChannel events, RunnerStateMachine state, string spoolDirectory)
{
    public TaskContext Task { get; } = task;

    public TaskKey Key { get; } = TaskKey.Of(task);

    public string RunnerId { get; } = runnerId;

    public string Branch { get; } = branch;

    public RunEventChannel Events { get; } = events;

    public RunnerStateMachine State { get; } = state;

    public string SpoolDirectory { get; } = spoolDirectory;

    public required RunJournalStore Journals { get; init; }

    /// <summary>The run-level tracking id every process of the run carries (kept across resumes).</summary>
    public required string TraceId { get; init; }

    /// <summary>The journal of the killed run being resumed, if any.</summary>
    public RunJournal? Previous { get; init; }

    /// <summary>The journal of this run, once it holds the task.</summary>
    public RunJournal? Journal { get; set; }

    public required Playbooks.Playbook Playbook { get; init; }

    /// <summary>The run's time: the host's cancellation and the task's timeout; set when the run starts executing.</summary>
    public Steps.RunBudget? Budget { get; set; }

    /// <summary>The budget of the step that runs now; a step nested in it (a fix attempt) runs inside it.</summary>
    public Steps.StepBudget? StepBudget { get; set; }

    /// <summary>The run's credentials, handed to the workspace manager and the agent; none until they are opened.</summary>
    public IRunSecrets Secrets { get; set; } = RunSecrets.None;

    /// <summary>While a continue-on-error step runs: its failures are recorded as warnings, not as the run's failure.</summary>
    public bool ContinueOnError { get; set; }

    public bool Registered { get; set; }

    public bool Unregistered { get; set; }

    public bool Reported { get; set; }

    public bool Released { get; set; }

    /// <summary>Whether the run holds the task: it claimed it, and has not lost the claim since.</summary>
    public bool Claimed { get; set; }

    /// <summary>Why the run lost its claim of the task (another runner holds it, or it lapsed); null while it holds it or never did.</summary>
    public string? ClaimLost => Volatile.Read(ref _claimLost);

    /// <summary>Renews the run's claim while the run holds it; null when the claim needs no renewal.</summary>
    public ClaimHeartbeat? Heartbeat { get; set; }

    private string? _claimLost;

    public SlotLease? Lease { get; set; }

    public PreparedWorkspace? Workspace { get; set; }

    /// <summary>Why the slot may be broken: preparing it failed for a reason other than a passing condition.</summary>
    public string? SlotSuspect { get; set; }

    /// <summary>Why the slot was quarantined instead of released, once it was.</summary>
    public string? SlotQuarantined { get; set; }

    public WorkspaceDiff? Diff { get; set; }

    public List<ImplementationResult> Implementations { get; } = [];

    public TestRunResult? Tests { get; set; }

    /// <summary>The tests on the unchanged base, taken before the agent worked; null when none was taken.</summary>
    public Steps.TestBaselineRun? Baseline { get; set; }

    /// <summary>Whether this run's test step ran and passed (or passed before the run was resumed); commit and push need it.</summary>
    public bool TestsPassed { get; set; }

    public string? CommitId { get; set; }

    public PushResult? Push { get; set; }

    public List<ArtifactRecord> Artifacts { get; } = [];

    public List<AttemptRecord> FailedAttempts { get; } = [];

    /// <summary>Each agent attempt's output (masked), by attempt number.</summary>
    public SortedDictionary<int, string> AgentOutputs { get; } = [];

    public int? PassedOnAttempt { get; set; }

    public List<StepResult> Steps { get; } = [];

    public RunOutcome? FailureOutcome { get; private set; }

    public RunError? Error { get; private set; }

    public bool Failed => FailureOutcome is not null;

    /// <summary>
    /// Records that the run no longer holds its task and stops it: its steps are cancelled (and their processes
    /// stopped), and nothing more is written to the registry or the journal, which now belong to the new holder.
    /// Safe from any thread; only the first call counts.
    /// </summary>
    /// <param name="reason">Why, naming the runner, the task and the new holder when known.</param>
    public void LoseClaim(string reason)
    {
        if (Interlocked.CompareExchange(ref _claimLost, reason, null) is null)
        {
            Claimed = false;
            Budget?.StopForLostClaim();
        }
    }

    /// <summary>Makes a lost claim the run's outcome (Conflict), whatever failed before: nothing after the loss was the run's.</summary>
    public void ConcludeLostClaim()
    {
        if (ClaimLost is { } reason)
        {
            FailureOutcome = RunOutcome.Conflict;
            Error = new RunError(Error?.Step ?? Playbooks.PlaybookBuiltInSteps.Register, reason, typeof(ClaimLostException).FullName);
        }
    }

    /// <summary>Updates this run's journal and writes it; nothing happens before the run holds the task, nor after it lost it.</summary>
    /// <param name="update">The change.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the journal is written.</returns>
    public async Task SaveJournalAsync(Func<RunJournal, RunJournal> update, CancellationToken cancellationToken)
    {
        if (Journal is null || ClaimLost is not null)
        {
            return;
        }

        Journal = update(Journal);
        await Journals.WriteAsync(Journal, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the first failure of the run; later ones do not overwrite it.</summary>
    /// <param name="outcome">The run's outcome.</param>
    /// <param name="step">The failing step.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="exception">The exception behind it, if any.</param>
    /// <param name="always">Fail the run even inside a continue-on-error step (a safety rule was broken).</param>
    public void Fail(RunOutcome outcome, string step, string message, Exception? exception = null, bool always = false)
    {
        if (ContinueOnError && !always)
        {
            Events.Publish(new RunWarning(step, $"Step {step} failed and may continue on error: {message}"));
            return;
        }

        if (FailureOutcome is null)
        {
            FailureOutcome = outcome;
            Error = new RunError(step, message, exception?.GetType().FullName);
        }
    }
}

/// <summary>An agent attempt whose tests failed, kept for its artifacts.</summary>
internal sealed record AttemptRecord(int Number, WorkspaceDiff? Diff, TestRunResult Tests);

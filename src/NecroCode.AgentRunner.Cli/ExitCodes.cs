namespace NecroCode.AgentRunner.Cli;

/// <summary>The exit codes of <c>necrocode-runner</c> (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>The task is done: tests passed, branch pushed.</summary>
    public const int Succeeded = 0;

    /// <summary>The run ended Failed for a task reason: agent, tests, push, timeout or a refused change.</summary>
    public const int TaskFailed = 1;

    /// <summary>The task file or the configuration is invalid; nothing was touched.</summary>
    public const int InvalidInput = 2;

    /// <summary>Infrastructure failed: workspace, registry, slot pool, artifact store or an unexpected error.</summary>
    public const int InfrastructureError = 3;

    /// <summary>Another runner holds the task, its branch or its slot; nothing of the task was changed.</summary>
    public const int Conflict = 4;

    /// <summary>The run was cancelled (SIGINT/SIGTERM).</summary>
    public const int Cancelled = 130;

    /// <summary>One code for several runs: 0 when all succeeded, else the most serious code among them.</summary>
    public static int Combine(IEnumerable<int> codes)
    {
        var all = codes.ToList();
        int[] severity = [InfrastructureError, Cancelled, Conflict, TaskFailed, InvalidInput];
        return severity.FirstOrDefault(all.Contains, Succeeded);
    }

    public static int For(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Succeeded => Succeeded,
        RunOutcome.InvalidTask => InvalidInput,
        RunOutcome.InfrastructureError => InfrastructureError,
        RunOutcome.Cancelled => Cancelled,
        RunOutcome.Conflict => Conflict,
        _ => TaskFailed,
    };
}

namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>Names of the cases' own (tasks, runners, branches, never shared between cases) and the steps they repeat.</summary>
internal static class ContractActors
{
    /// <summary>The spec of every task the cases create.</summary>
    public const string Spec = "contract";

    /// <summary>A task key no other case uses.</summary>
    public static TaskKey NewTask() => new(Spec, "t-" + Guid.NewGuid().ToString("N")[..16]);

    /// <summary>A runner id no other case uses, starting with <paramref name="role"/>.</summary>
    public static string NewRunner(string role) => role + "-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A task definition no other case uses.</summary>
    public static TaskContext NewDefinition(string title = "A task of the contract") => new()
    {
        SpecName = Spec,
        TaskId = "t-" + Guid.NewGuid().ToString("N")[..16],
        Title = title,
        Description = "Checks that a provider keeps its contract.",
        AcceptanceCriteria = ["The provider behaves as documented."],
        TestCommands = ["true"],
    };

    /// <summary>Registers a new runner (this host, this process) for <paramref name="task"/> and returns its id.</summary>
    public static async Task<string> RegisterAsync(ITaskRegistry registry, TaskKey task, string role, CancellationToken cancellationToken)
    {
        var runnerId = NewRunner(role);
        await registry.RegisterRunnerAsync(new RunnerRegistration(runnerId, task, Environment.MachineName, Environment.ProcessId, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
        return runnerId;
    }

    /// <summary>Registers a new runner and claims <paramref name="task"/> for it; fails the case when the claim is refused.</summary>
    public static async Task<(string RunnerId, TaskClaim Claim)> ClaimAsync(ITaskRegistry registry, TaskKey task, string role, CancellationToken cancellationToken)
    {
        var runnerId = await RegisterAsync(registry, task, role, cancellationToken).ConfigureAwait(false);
        var claim = await registry.TryClaimTaskAsync(task, runnerId, cancellationToken).ConfigureAwait(false);
        Expect.That(claim.Claimed, $"A registered runner's claim of the unheld task {task} was refused (held by {claim.HeldBy ?? "nobody named"}).");
        return (runnerId, claim);
    }

    /// <summary>An event of <paramref name="task"/> by <paramref name="runnerId"/>, with data that identifies it.</summary>
    public static TaskEvent Event(TaskKey task, string runnerId, string type = "ContractEvent", string? mark = null) =>
        new(task, type, DateTimeOffset.UtcNow, runnerId, "An event of the contract.", mark is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { ["mark"] = mark });

    /// <summary>An artifact record named <paramref name="name"/> whose URI ends in <paramref name="version"/>.</summary>
    public static ArtifactRecord Artifact(string name, int version) =>
        new(ArtifactKind.Other, name, new Uri($"memory://contract/{name}/{version}"), 10 + version, new string((char)('a' + version % 6), 64));

    /// <summary>Reads <paramref name="task"/>'s record; fails the case when the registry does not know it.</summary>
    public static async Task<TaskRecord> RecordAsync(ITaskRegistry registry, TaskKey task, CancellationToken cancellationToken) =>
        await registry.GetTaskAsync(task, cancellationToken).ConfigureAwait(false)
        ?? throw new ContractViolationException($"The registry does not know task {task}, which was written to.");
}

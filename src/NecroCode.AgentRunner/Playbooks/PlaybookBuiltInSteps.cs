namespace NecroCode.AgentRunner.Playbooks;

/// <summary>The names of the built-in steps a playbook step may name in <c>uses</c>.</summary>
public static class PlaybookBuiltInSteps
{
    /// <summary>Records the runner and the task as running in the registry.</summary>
    public const string Register = "register";

    /// <summary>Takes a workspace slot from the pool (or the task's assigned slot).</summary>
    public const string AcquireSlot = "acquire-slot";

    /// <summary>Cleans the slot and creates the task's branch.</summary>
    public const string PrepareWorkspace = "prepare-workspace";

    /// <summary>Runs the coding agent.</summary>
    public const string Implement = "implement";

    /// <summary>Runs the task's test commands.</summary>
    public const string Test = "test";

    /// <summary>Commits the changes.</summary>
    public const string Commit = "commit";

    /// <summary>Pushes the task's branch.</summary>
    public const string Push = "push";

    /// <summary>Stores diff, test results and error log (runs even after a failure).</summary>
    public const string UploadArtifacts = "upload-artifacts";

    /// <summary>Reports the result to the registry (runs even after a failure).</summary>
    public const string Report = "report";

    /// <summary>Returns the slot to the pool (runs even after a failure).</summary>
    public const string ReleaseSlot = "release-slot";

    /// <summary>Every built-in step, in the order of the built-in pipeline.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Orchestration.Steps.BuiltInStepCatalog.All.Select(s => s.Name)];

    /// <summary>Whether <paramref name="name"/> is a built-in step.</summary>
    /// <param name="name">The name to look up (exact, ordinal).</param>
    /// <returns>True when it is one of <see cref="All"/>.</returns>
    public static bool IsBuiltIn(string? name) => name is not null && All.Contains(name, StringComparer.Ordinal);

    /// <summary>Whether the built-in step runs even after an earlier failure unless a playbook says otherwise.</summary>
    /// <param name="name">The built-in step.</param>
    /// <returns>True for <see cref="UploadArtifacts"/>, <see cref="Report"/> and <see cref="ReleaseSlot"/>.</returns>
    public static bool IsAlwaysByDefault(string? name) => Orchestration.Steps.BuiltInStepCatalog.Find(name)?.AlwaysByDefault == true;
}

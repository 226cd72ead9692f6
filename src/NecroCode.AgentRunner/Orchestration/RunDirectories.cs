namespace NecroCode.AgentRunner.Orchestration;

/// <summary>Where runs keep their working files: spool folders, journals, artifacts kept locally.</summary>
internal static class RunDirectories
{
    /// <summary>The work directory: the option, or a folder under the temp directory.</summary>
    /// <param name="options">The runner's options.</param>
    /// <returns>The path.</returns>
    public static string Work(AgentRunnerOptions options) => options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "necrocode-runner");

    /// <summary>The folder of the runs' journals.</summary>
    /// <param name="options">The runner's options.</param>
    /// <returns>The path.</returns>
    public static string Journals(AgentRunnerOptions options) => options.JournalDirectory ?? Path.Combine(Work(options), "journal");

    /// <summary>The folder an artifact whose upload failed is kept in.</summary>
    /// <param name="options">The runner's options.</param>
    /// <param name="context">The run.</param>
    /// <returns>The path.</returns>
    public static string Kept(AgentRunnerOptions options, RunContext context) =>
        Path.Combine(Work(options), "kept", context.Key.SpecName, context.Key.TaskId, context.RunnerId);
}

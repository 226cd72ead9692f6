using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner;

/// <summary>Settings of the runner itself (not of its providers).</summary>
public sealed class AgentRunnerOptions
{
    /// <summary>The configuration section the command-line host binds these options to: <c>NecroCode:Runner</c>.</summary>
    public const string SectionName = "NecroCode:Runner";

    /// <summary>The repository's main branch. Default <c>main</c>.</summary>
    [Required]
    public string MainBranch { get; set; } = "main";

    /// <summary>The remote to fetch from and push to. Default <c>origin</c>.</summary>
    [Required]
    public string Remote { get; set; } = "origin";

    /// <summary>
    /// Template of the task branch. Placeholders: <c>{spec}</c>, <c>{task-id}</c>; each value is
    /// sanitised into a valid ref fragment. Default <c>feature/task-{spec}-{task-id}</c>.
    /// </summary>
    [Required]
    public string BranchTemplate { get; set; } = "feature/task-{spec}-{task-id}";

    /// <summary>Template of the commit message. Placeholders: <c>{id}</c>, <c>{spec}</c>, <c>{title}</c>. Default <c>feat(task-{id}): {title}</c>.</summary>
    [Required]
    public string CommitMessageTemplate { get; set; } = "feat(task-{id}): {title}";

    /// <summary>The playbook of tasks that name none; the built-in pipeline when null. See docs/playbooks.md.</summary>
    public string? PlaybookPath { get; set; }

    /// <summary>Fail the run when the agent changed nothing. Default true.</summary>
    public bool RequireChanges { get; set; } = true;

    /// <summary>
    /// Times failing test output goes back to the agent for a fix, after the first attempt.
    /// Default 2; 0 turns the fix loop off.
    /// </summary>
    [Range(0, 10)]
    public int MaxFixAttempts { get; set; } = 2;

    /// <summary>Characters of failing test output handed to the agent in a fix prompt (the most useful part is kept). Default 8000.</summary>
    [Range(200, 1_000_000)]
    public int FixOutputLimit { get; set; } = 8000;

    /// <summary>Longest the agent may work per attempt; null: bounded only by the task timeout.</summary>
    public TimeSpan? AgentTimeout { get; set; }

    /// <summary>Longest each test command may run; null: bounded only by the task timeout.</summary>
    public TimeSpan? TestCommandTimeout { get; set; }

    /// <summary>Characters of each process stream kept in results (the tail). Default 64 KiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int OutputCaptureLimit { get; set; } = 64 * 1024;

    /// <summary>
    /// Folder where artifacts that could not be uploaded are kept, and run logs are spooled.
    /// Default: <c>necrocode-runner</c> under the system temp folder.
    /// </summary>
    public string? WorkDirectory { get; set; }

    /// <summary>
    /// Folder of the run journals, one per task, from which a killed run is resumed. Default:
    /// <c>journal</c> under <see cref="WorkDirectory"/>. Runners that may resume each other's runs must share it.
    /// </summary>
    public string? JournalDirectory { get; set; }

    /// <summary>Longest a push waits for another runner pushing the same branch; then the run ends with a conflict. Default 30 s.</summary>
    public TimeSpan BranchLockWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Run a task again that the registry already records as Done (a deliberate re-run). Default false:
    /// such a run is refused as a conflict before anything is touched (the CLI's <c>--rerun</c> sets this).
    /// Resuming a killed run from its journal is never refused for this.
    /// </summary>
    public bool RerunDoneTasks { get; set; }

    /// <summary>A file the runner state is written to at every transition, atomically; none when null.</summary>
    public string? StateFile { get; set; }
}

using System.Text.Json.Serialization;

namespace NecroCode.AgentRunner;

/// <summary>
/// One coding task, as handed to a runner. Immutable; crosses process and container
/// boundaries as JSON (see <see cref="AgentRunnerJson"/> for the documented shape).
/// </summary>
/// <remarks>
/// Every member has a default so that a partially filled document still deserializes and
/// <see cref="TaskContextValidator"/> can report every missing or bad field at once.
/// </remarks>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TaskContext
{
    /// <summary>The default maximum duration of a task: 30 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Creates an empty task context; set its members with an object initializer.</summary>
    public TaskContext()
    {
    }

    /// <summary>
    /// Creates a task context from its JSON members; an absent member takes its documented default.
    /// </summary>
    /// <param name="taskId">See <see cref="TaskId"/>.</param>
    /// <param name="specName">See <see cref="SpecName"/>.</param>
    /// <param name="title">See <see cref="Title"/>.</param>
    /// <param name="description">See <see cref="Description"/>.</param>
    /// <param name="acceptanceCriteria">See <see cref="AcceptanceCriteria"/>.</param>
    /// <param name="dependencies">See <see cref="Dependencies"/>.</param>
    /// <param name="requiredSkill">See <see cref="RequiredSkill"/>.</param>
    /// <param name="slotPath">See <see cref="SlotPath"/>.</param>
    /// <param name="slotId">See <see cref="SlotId"/>.</param>
    /// <param name="branchName">See <see cref="BranchName"/>.</param>
    /// <param name="testCommands">See <see cref="TestCommands"/>.</param>
    /// <param name="failFast">See <see cref="FailFast"/>.</param>
    /// <param name="timeout">See <see cref="Timeout"/>; zero (absent) means the default. A task file that gives zero is refused by <see cref="AgentRunnerJson.ParseTask"/>.</param>
    /// <param name="playbookPath">See <see cref="PlaybookPath"/>.</param>
    /// <param name="metadata">See <see cref="Metadata"/>.</param>
    /// <param name="baseBranch">See <see cref="BaseBranch"/>.</param>
    /// <param name="baseCommit">See <see cref="BaseCommit"/>.</param>
    [JsonConstructor]
    public TaskContext(
        string? taskId = null,
        string? specName = null,
        string? title = null,
        string? description = null,
        IReadOnlyList<string>? acceptanceCriteria = null,
        IReadOnlyList<TaskDependency>? dependencies = null,
        string? requiredSkill = null,
        string? slotPath = null,
        string? slotId = null,
        string? branchName = null,
        IReadOnlyList<string>? testCommands = null,
        bool failFast = true,
        TimeSpan timeout = default,
        string? playbookPath = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        string? baseBranch = null,
        string? baseCommit = null)
    {
        TaskId = taskId ?? "";
        SpecName = specName ?? "";
        Title = title ?? "";
        Description = description ?? "";
        AcceptanceCriteria = acceptanceCriteria ?? [];
        Dependencies = dependencies ?? [];
        RequiredSkill = requiredSkill;
        SlotPath = slotPath;
        SlotId = slotId;
        BranchName = branchName;
        TestCommands = testCommands ?? [];
        FailFast = failFast;
        Timeout = timeout == TimeSpan.Zero ? DefaultTimeout : timeout;
        PlaybookPath = playbookPath;
        Metadata = metadata ?? new Dictionary<string, string>();
        BaseBranch = baseBranch;
        BaseCommit = baseCommit;
    }

    /// <summary>Identifier of the task within its spec, e.g. <c>1.2</c>. Required.</summary>
    public string TaskId { get; init; } = "";

    /// <summary>Name of the spec the task belongs to, e.g. <c>user-auth</c>. Required.</summary>
    public string SpecName { get; init; } = "";

    /// <summary>Short title; also the subject of the default commit message. Required.</summary>
    public string Title { get; init; } = "";

    /// <summary>Free-text description of what to build.</summary>
    public string Description { get; init; } = "";

    /// <summary>Acceptance criteria, in order; numbered in the prompt.</summary>
    public IReadOnlyList<string> AcceptanceCriteria { get; init; } = [];

    /// <summary>Tasks this one builds on, with what is known of their results.</summary>
    public IReadOnlyList<TaskDependency> Dependencies { get; init; } = [];

    /// <summary>Skill the task needs (e.g. <c>backend</c>); available to playbook conditions.</summary>
    public string? RequiredSkill { get; init; }

    /// <summary>Path of a workspace slot assigned by a repo pool manager; when empty a slot is acquired from the slot pool.</summary>
    public string? SlotPath { get; init; }

    /// <summary>Identifier of the assigned slot, or of the slot to acquire from the pool.</summary>
    public string? SlotId { get; init; }

    /// <summary>Branch to create; when empty the runner's branch template is used.</summary>
    public string? BranchName { get; init; }

    /// <summary>Test commands run in the workspace; when empty they are detected from the repository.</summary>
    public IReadOnlyList<string> TestCommands { get; init; } = [];

    /// <summary>Stop at the first failing test command. Default <see langword="true"/>.</summary>
    public bool FailFast { get; init; } = true;

    /// <summary>Maximum duration of the whole task. Default 30 minutes; must be more than zero (a task file that gives zero is refused).</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Path of a playbook to run instead of the default pipeline.</summary>
    public string? PlaybookPath { get; init; }

    /// <summary>Free-form metadata (string values; JSON numbers and booleans are kept as their text).</summary>
    [JsonConverter(typeof(MetadataJsonConverter))]
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The branch the task branch starts from instead of the main branch, at <see cref="BaseCommit"/>: the pushed
    /// branch of a task this one builds on that is not merged yet (stacked branches). Given together with
    /// <see cref="BaseCommit"/>; when that commit is already in the main branch, the task starts from the main branch.
    /// </summary>
    public string? BaseBranch { get; init; }

    /// <summary>The commit of <see cref="BaseBranch"/> the task branch starts at (a full or abbreviated commit id).</summary>
    public string? BaseCommit { get; init; }

    /// <summary>
    /// Budgets of the task's agent, per attempt and per task: wall time, turns, input and output tokens, cost. Each
    /// figure given here wins over the playbook's and the runner's settings (<c>NecroCode:Budgets</c>).
    /// </summary>
    public TaskBudgets? Budgets { get; init; }
}

using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Budgets;

/// <summary>
/// The runner's budgets for coding agents: what one attempt and one task (every attempt together) may spend, and how
/// an agent that crossed one is stopped. A playbook's <c>budgets</c> and a task's <c>budgets</c> set figures of their own;
/// for each figure the most specific source wins (task, then playbook, then these settings).
/// </summary>
public sealed class BudgetOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Budgets</c>.</summary>
    public const string SectionName = "NecroCode:Budgets";

    /// <summary>
    /// Limits on one agent attempt: <c>Attempt:WallTime</c> (hh:mm:ss), <c>Attempt:Turns</c>, <c>Attempt:InputTokens</c>,
    /// <c>Attempt:OutputTokens</c>, <c>Attempt:CostUsd</c>; each more than 0 when set. Default: none.
    /// </summary>
    public BudgetLimits Attempt { get; set; } = new();

    /// <summary>
    /// Limits on every agent attempt of a task together: <c>Task:WallTime</c>, <c>Task:Turns</c>, <c>Task:InputTokens</c>,
    /// <c>Task:OutputTokens</c>, <c>Task:CostUsd</c>; each more than 0 when set. Default: none.
    /// </summary>
    public BudgetLimits Task { get; set; } = new();

    /// <summary>How long an agent that crossed a budget has to stop after its wrap-up signal (SIGINT) before its process tree is stopped. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The least agent wall time one attempt needs: a fix attempt is not started when less than this is left of the
    /// task's wall-time budget (<c>Task:WallTime</c>). Default 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinimumAttemptWallTime { get; set; } = TimeSpan.FromMinutes(1);
}

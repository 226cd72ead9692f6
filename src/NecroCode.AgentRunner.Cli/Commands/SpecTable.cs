using System.Globalization;
using NecroCode.AgentRunner.Specs;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>Prints a spec's graph, a run's plan and a run's result as tables for a person.</summary>
internal static class SpecTable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static void WriteGraph(TextWriter writer, SpecFolder spec)
    {
        var work = spec.WorkItems.ToList();
        writer.WriteLine(string.Create(Culture, $"Spec {spec.Name} ({spec.TasksPath}): {work.Count} task(s), {work.Count(t => t.Status == SpecTaskStatus.Done)} done"));
        foreach (var task in spec.Tasks)
        {
            var depth = Depth(spec, task);
            var box = task.Status switch { SpecTaskStatus.Done => "[x]", SpecTaskStatus.InProgress => "[-]", _ => "[ ]" } + (task.IsOptional ? "*" : " ");
            var after = task.IsGroup ? "" : task.DependsOn.Count == 0 ? "  (no dependency)" : $"  after {string.Join(", ", task.DependsOn)}{(task.DependsExplicitly ? "" : " (order)")}";
            writer.WriteLine(string.Create(Culture, $"{new string(' ', 2 * depth)}{box} {task.Id,-6} {task.Title}{after}"));
        }
    }

    public static void WritePlan(TextWriter writer, SpecPlan plan)
    {
        writer.WriteLine(string.Create(Culture, $"Plan for spec {plan.Spec.Name} (dry run: nothing is run or changed)"));
        var round = 0;
        foreach (var items in plan.Rounds)
        {
            writer.WriteLine(string.Create(Culture, $"Round {++round}:"));
            foreach (var item in items)
            {
                var after = item.DependsOn.Count == 0 ? "" : $" after {string.Join(", ", item.DependsOn)}";
                writer.WriteLine(string.Create(Culture, $"  {item.Action.ToString().ToLowerInvariant(),-6} {item.Task.Id,-6} {item.Task.Title} → {item.Branch}{after}"));
            }
        }

        foreach (var item in plan.Items.Where(i => i.Action is SpecPlanAction.Done or SpecPlanAction.Skip))
        {
            writer.WriteLine(string.Create(Culture, $"  {item.Action.ToString().ToLowerInvariant(),-6} {item.Task.Id,-6} {item.Task.Title} ({item.Reason})"));
        }
    }

    public static void WriteResult(TextWriter writer, SpecRunResult result)
    {
        writer.WriteLine();
        writer.WriteLine(string.Create(Culture, $"Spec {result.SpecName}"));
        var rows = result.Tasks.Select(t => new[]
        {
            t.TaskId, t.Outcome.ToString(), t.Branch ?? "-", Short(t.CommitId) ?? "-",
            t.Duration == TimeSpan.Zero ? "-" : string.Create(Culture, $"{t.Duration.TotalSeconds:0.0}s"),
            t.Attempts == 0 ? "-" : t.Attempts.ToString(Culture),
        }).Prepend(["Task", "Outcome", "Branch", "Commit", "Duration", "Attempts"]).ToList();
        var widths = Enumerable.Range(0, 6).Select(c => rows.Max(r => r[c].Length)).ToList();
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        foreach (var task in result.Tasks.Where(t => t.Reason is not null && t.Outcome is SpecTaskOutcome.Failed or SpecTaskOutcome.Blocked))
        {
            writer.WriteLine(string.Create(Culture, $"Task {task.TaskId}: {task.Reason}"));
        }
    }

    /// <summary>The last line of <c>spec run --output jsonl</c>: <c>{"type":"spec.result","spec":…,"tasks":[…]}</c>, each task with its run's result.</summary>
    public static string ResultLine(SpecRunResult result)
    {
        var tasks = new System.Text.Json.Nodes.JsonArray([.. result.Tasks.Select(t => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["taskId"] = t.TaskId,
            ["title"] = t.Title,
            ["outcome"] = t.Outcome.ToString(),
            ["branch"] = t.Branch,
            ["commitId"] = t.CommitId,
            ["durationSeconds"] = Math.Round(t.Duration.TotalSeconds, 3),
            ["attempts"] = t.Attempts,
            ["reason"] = t.Reason,
            ["result"] = t.Run is null ? null : System.Text.Json.Nodes.JsonNode.Parse(AgentRunnerJson.Serialize(t.Run)),
        })]);
        return new System.Text.Json.Nodes.JsonObject { ["type"] = "spec.result", ["spec"] = result.SpecName, ["tasks"] = tasks }.ToJsonString();
    }

    public static string? Short(string? commit) => commit is { Length: > 10 } ? commit[..10] : commit;

    private static int Depth(SpecFolder spec, SpecTask task)
    {
        var depth = 0;
        for (var parent = task.ParentId; parent is not null; parent = spec.Find(parent)?.ParentId)
        {
            depth++;
        }

        return depth;
    }
}

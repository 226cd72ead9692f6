using System.Globalization;
using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// Reads <c>tasks.md</c>: a checkbox tree (<c>- [ ] 1. Title</c>, indented <c>- [ ] 1.1 Title</c>), each task's
/// detail bullets and its <c>_Requirements: …_</c> and <c>_Depends: …_</c> lines. Sub-tasks may have a numbered
/// parent, an unnumbered group line, or no parent at all. Numbering problems go to the problem list, each with its line.
/// </summary>
internal static partial class TasksDocument
{
    /// <summary>Every task in document order (parents before their sub-tasks).</summary>
    public static List<TaskEntry> Parse(SpecText text, List<SpecProblem> problems)
    {
        var entries = new List<TaskEntry>();
        var open = new Stack<TaskEntry>();
        for (var i = 0; i < text.Lines.Count; i++)
        {
            var line = text.Lines[i];
            var number = i + 1;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var indent = IndentOf(line);
            if (CheckboxPattern().Match(line) is { Success: true } box)
            {
                while (open.Count > 0 && open.Peek().Indent >= indent)
                {
                    open.Pop();
                }

                if (ReadEntry(text.Path, number, indent, box, problems) is { } entry)
                {
                    entry.Parent = open.Count > 0 ? open.Peek() : null;
                    entry.Parent?.Children.Add(entry);
                    entries.Add(entry);
                    open.Push(entry);
                }

                continue;
            }

            while (open.Count > 0 && open.Peek().Indent >= indent)
            {
                open.Pop();
            }

            if (open.Count > 0)
            {
                ReadDetail(text.Path, number, line.Trim(), open.Peek(), problems);
            }
        }

        CheckNumbering(text.Path, entries, problems);
        return entries;
    }

    private static TaskEntry? ReadEntry(string path, int line, int indent, Match box, List<SpecProblem> problems)
    {
        var mark = box.Groups["mark"].Value;
        SpecTaskStatus? status = mark switch
        {
            " " => SpecTaskStatus.NotStarted,
            "x" or "X" => SpecTaskStatus.Done,
            "-" or "~" => SpecTaskStatus.InProgress,
            _ => null,
        };
        if (status is null)
        {
            problems.Add(new(path, line, $"'[{mark}]' is not a task checkbox; use [ ] (to do), [-] (in progress) or [x] (done)."));
            return null;
        }

        var rest = box.Groups["rest"].Value.Trim();
        var optional = box.Groups["optional"].Success;
        if (rest.StartsWith('*'))
        {
            optional = true;
            rest = rest[1..].TrimStart();
        }

        var numbered = NumberedPattern().Match(rest);
        var title = (numbered.Success ? numbered.Groups["title"].Value : rest).Trim();
        if (title.Length == 0)
        {
            problems.Add(new(path, line, "the task has no title."));
            return null;
        }

        return new TaskEntry
        {
            Id = numbered.Success ? numbered.Groups["id"].Value : null,
            Title = title,
            Line = line,
            Indent = indent,
            Status = status.Value,
            IsOptional = optional,
        };
    }

    private static void ReadDetail(string path, int line, string text, TaskEntry task, List<SpecProblem> problems)
    {
        var detail = BulletPattern().Replace(text, "");
        if (ReferenceLinePattern().Match(detail) is not { Success: true } reference)
        {
            task.Details.Add(detail);
            return;
        }

        var items = SpecReferences.Split(reference.Groups["list"].Value).ToList();
        if (reference.Groups["kind"].Value.StartsWith("Req", StringComparison.OrdinalIgnoreCase))
        {
            task.Requirements.AddRange(items.Select(id => (id, line)));
            return;
        }

        if (task.Depends is not null)
        {
            problems.Add(new(path, line, $"task {task.Id} has a second _Depends_ line; list every dependency on one line."));
            return;
        }

        task.Depends = SpecReferences.IsNone(reference.Groups["list"].Value) ? [] : [.. items.Select(id => (id, line))];
    }

    private static void CheckNumbering(string path, List<TaskEntry> entries, List<SpecProblem> problems)
    {
        var seen = new Dictionary<string, TaskEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Id is null)
            {
                if (entry.IsLeaf || entry.Parent is not null)
                {
                    problems.Add(new(path, entry.Line, $"the task '{entry.Title}' has no number; write '- [ ] N. Title' (or N.M for a sub-task)."));
                }

                continue;
            }

            if (!seen.TryAdd(entry.Id, entry))
            {
                problems.Add(new(path, entry.Line, $"task {entry.Id} is numbered twice (first at line {seen[entry.Id].Line})."));
                continue;
            }

            if (entry.Parent?.Id is { } parent && !IsChildNumber(parent, entry.Id))
            {
                problems.Add(new(path, entry.Line, $"task {entry.Id} is a sub-task of task {parent}; number it {parent}.N."));
            }

            var siblings = entry.Parent?.Children ?? entries.Where(e => e.Parent is null).ToList();
            var before = siblings.TakeWhile(s => !ReferenceEquals(s, entry)).LastOrDefault(s => s.Id is not null);
            if (before?.Id is { } previous && Compare(previous, entry.Id) >= 0 && previous != entry.Id)
            {
                problems.Add(new(path, entry.Line, $"task {entry.Id} comes after task {previous} (line {before.Line}); number the tasks in order."));
            }
        }
    }

    private static bool IsChildNumber(string parent, string child) =>
        child.StartsWith(parent + ".", StringComparison.Ordinal) && !child[(parent.Length + 1)..].Contains('.', StringComparison.Ordinal);

    /// <summary>Compares task numbers part by part (<c>2.10</c> comes after <c>2.9</c>).</summary>
    public static int Compare(string left, string right)
    {
        var a = left.Split('.');
        var b = right.Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var order = long.Parse(a[i], CultureInfo.InvariantCulture).CompareTo(long.Parse(b[i], CultureInfo.InvariantCulture));
            if (order != 0)
            {
                return order;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static int IndentOf(string line)
    {
        var width = 0;
        foreach (var c in line)
        {
            if (c == ' ')
            {
                width++;
            }
            else if (c == '\t')
            {
                width += 4;
            }
            else
            {
                break;
            }
        }

        return width;
    }

    [GeneratedRegex(@"^[ \t]*[-*+][ \t]+\[(?<mark>[^\]]?)\](?<optional>\*)?(?:[ \t]+(?<rest>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex CheckboxPattern();

    [GeneratedRegex(@"^(?<id>\d{1,9}(?:\.\d{1,9}){0,5})\.?[ \t]+(?<title>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedPattern();

    [GeneratedRegex(@"^[-*+][ \t]+", RegexOptions.CultureInvariant)]
    private static partial Regex BulletPattern();

    [GeneratedRegex(@"^_(?<kind>Requirements?|Depends(?: on)?)[ \t]*[:：][ \t]*(?<list>.*?)_[ \t]*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ReferenceLinePattern();
}

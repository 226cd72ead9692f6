namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// A Kiro spec folder (<c>.kiro/specs/&lt;feature&gt;/</c>): <c>requirements.md</c> (or <c>bugfix.md</c>),
/// <c>design.md</c> and <c>tasks.md</c>, read into one task context per task. Every problem of every file is found
/// before anything runs and reported with its file and line.
/// </summary>
public sealed class SpecFolder
{
    /// <summary>The name of the task list in a spec folder.</summary>
    public const string TasksFileName = "tasks.md";

    private readonly Dictionary<string, SpecTask> _byId;

    private SpecFolder(string path, string name, IReadOnlyList<SpecTask> tasks)
    {
        Path = path;
        Name = name;
        Tasks = tasks;
        _byId = tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The spec's name: every task's <see cref="TaskContext.SpecName"/>.</summary>
    public string Name { get; }

    /// <summary>The full path of the folder's <c>tasks.md</c>.</summary>
    public string TasksPath => System.IO.Path.Combine(Path, TasksFileName);

    /// <summary>Every numbered task, in document order (a parent before its sub-tasks).</summary>
    public IReadOnlyList<SpecTask> Tasks { get; }

    /// <summary>The tasks that are carried out (those without sub-tasks), in document order.</summary>
    public IEnumerable<SpecTask> WorkItems => Tasks.Where(t => !t.IsGroup);

    /// <summary>The task numbered <paramref name="id"/>, or null.</summary>
    /// <param name="id">The task's number.</param>
    /// <returns>The task, or null when there is none of that number.</returns>
    public SpecTask? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Reads the spec folder at <paramref name="path"/>.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="options">How to read it; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="SpecFormatException">The folder or one of its files is missing or malformed (every problem, by file and line).</exception>
    public static async Task<SpecFolder> ReadAsync(string path, SpecReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SpecReadOptions();
        var folder = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        if (!Directory.Exists(folder))
        {
            throw new SpecFormatException([new(folder, 0, "the spec folder does not exist.")]);
        }

        var problems = new List<SpecProblem>();
        var tasksText = await SpecText.ReadAsync(System.IO.Path.Combine(folder, TasksFileName), cancellationToken).ConfigureAwait(false);
        if (tasksText is null)
        {
            throw new SpecFormatException([new(folder, 0, "the spec folder has no tasks.md.")]);
        }

        var requirementsText = await SpecText.ReadAsync(System.IO.Path.Combine(folder, "requirements.md"), cancellationToken).ConfigureAwait(false)
            ?? await SpecText.ReadAsync(System.IO.Path.Combine(folder, "bugfix.md"), cancellationToken).ConfigureAwait(false);
        var requirements = requirementsText is null ? RequirementsDocument.Empty : RequirementsDocument.Parse(requirementsText, problems);
        var designText = await SpecText.ReadAsync(System.IO.Path.Combine(folder, "design.md"), cancellationToken).ConfigureAwait(false);
        var design = designText is null ? DesignDocument.Empty : DesignDocument.Parse(designText, requirements, problems);
        var entries = TasksDocument.Parse(tasksText, problems);
        if (entries.Count == 0)
        {
            problems.Add(new(tasksText.Path, 0, "holds no tasks; write them as '- [ ] 1. Title' lines."));
        }

        var name = options.SpecName ?? System.IO.Path.GetFileName(folder);
        var tasks = Build(tasksText.Path, name, entries, new SpecTaskBuilder(tasksText.Path, name, requirements, design, options), problems);
        if (problems.Count > 0)
        {
            throw new SpecFormatException([.. problems.Distinct().OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line)]);
        }

        return new SpecFolder(folder, name, tasks);
    }

    private static List<SpecTask> Build(string path, string name, List<TaskEntry> entries, SpecTaskBuilder builder, List<SpecProblem> problems)
    {
        var dependencies = SpecDependencies.Resolve(path, entries, problems);
        var byId = entries.Where(e => e.Id is not null).GroupBy(e => e.Id!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var tasks = new List<SpecTask>();
        foreach (var entry in byId.Values)
        {
            var (dependsOn, stated) = dependencies.TryGetValue(entry, out var d) ? d : ([], false);
            var context = builder.Build(entry, dependsOn, byId, problems);
            foreach (var error in TaskContextValidator.Validate(context))
            {
                problems.Add(error.Field == "specName"
                    ? new(path, 0, $"'{name}' cannot be the spec name: it {error.Message} Give a spec name of your own.")
                    : new(path, entry.Line, $"task {entry.Id}: {error.Field} {error.Message}"));
            }

            tasks.Add(new SpecTask
            {
                Id = entry.Id!,
                Title = entry.Title,
                Line = entry.Line,
                Status = entry.Status,
                IsOptional = entry.IsOptional,
                ParentId = entry.Parent?.Id,
                SubTasks = [.. entry.Children.Where(c => c.Id is not null).Select(c => c.Id!)],
                DependsOn = dependsOn,
                DependsExplicitly = stated,
                Context = context,
            });
        }

        return tasks;
    }
}

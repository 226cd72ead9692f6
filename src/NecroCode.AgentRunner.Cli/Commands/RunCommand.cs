using System.CommandLine;
using NecroCode.AgentRunner.Cli.Hosting;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary><c>necrocode-runner run --task task.json</c>: runs tasks from files; <c>resume</c> resumes killed runs.</summary>
internal static class RunCommand
{
    public static Command Create() => Create("run", "Run tasks from task files (JSON); several at once with --parallel.", resume: false);

    public static Command CreateResume() => Create("resume", "Resume a task's run that was killed half-way, from its journal, without repeating a commit, push, artifact or completion event; a fresh run when there is no journal.", resume: true);

    private static Command Create(string name, string description, bool resume)
    {
        var host = new HostOptions();
        var taskFiles = new Option<FileSystemInfo[]>("--task", "-t")
        {
            Description = "A task file (JSON, see the README), or a folder of *.json task files; repeat for several.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var parallel = new Option<int>("--parallel", "-p") { Description = "How many of the given tasks run at once in this process. Default 1.", DefaultValueFactory = _ => 1 };
        var resultFile = new Option<FileInfo?>("--result") { Description = "Also write the run summary (an array for several tasks) as JSON to this file." };
        var rerun = new Option<bool>("--rerun") { Description = "Run tasks again that the registry records as Done (otherwise refused with exit code 4) (NecroCode:Runner:RerunDoneTasks)." };
        var command = new Command(name, description);
        command.Options.Add(taskFiles);
        command.Options.Add(parallel);
        command.Options.Add(resultFile);
        if (!resume)
        {
            command.Options.Add(rerun);
        }

        host.AddTo(command);
        command.SetAction((parse, cancellationToken) => UnexpectedError.GuardAsync(async () =>
        {
            var degree = parse.GetValue(parallel);
            var settings = host.ToSettings(parse);
            HostOptions.LimitParallelRuns(degree, "--parallel", settings);
            if (!resume && parse.GetValue(rerun))
            {
                settings["NecroCode:Runner:RerunDoneTasks"] = "true";
            }

            var configuration = RunnerHost.BuildConfiguration(parse.GetValue(host.Config), settings);
            var sources = ExpandTaskFiles(parse.GetValue(taskFiles) ?? [])
                .Select(path => new TaskSource(path, ct => ReadTaskAsync(path, ct)))
                .ToList();
            return await RunExecutor.ExecuteAsync(configuration, sources, host.GetOutputMode(parse), parse.GetValue(resultFile), degree, resume, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>Reads a task file; a relative <c>playbookPath</c> in it is relative to the file's folder.</summary>
    internal static async Task<TaskContext> ReadTaskAsync(string path, CancellationToken cancellationToken)
    {
        var task = await AgentRunnerJson.ReadTaskAsync(path, cancellationToken).ConfigureAwait(false);
        return task.PlaybookPath is { Length: > 0 } playbook && !Path.IsPathRooted(playbook)
            ? task with { PlaybookPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, playbook)) }
            : task;
    }

    /// <summary>The task files given: each file, and the *.json files of each folder (a folder without any is refused).</summary>
    internal static IEnumerable<string> ExpandTaskFiles(IEnumerable<FileSystemInfo> entries)
    {
        foreach (var entry in entries)
        {
            if (Directory.Exists(entry.FullName))
            {
                var files = Directory.GetFiles(entry.FullName, "*.json").Order(StringComparer.Ordinal).ToList();
                if (files.Count == 0)
                {
                    throw new HostConfigurationException($"The folder '{entry.FullName}' holds no *.json task file.");
                }

                foreach (var file in files)
                {
                    yield return file;
                }
            }
            else
            {
                yield return entry.FullName;
            }
        }
    }
}

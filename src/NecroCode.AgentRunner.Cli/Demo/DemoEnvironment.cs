using System.Diagnostics;

namespace NecroCode.AgentRunner.Cli.Demo;

/// <summary>
/// A self-contained demo: a bare <c>origin</c> with a tiny shell project and its test, one slot cloned
/// from it, a stand-in agent script that implements the task, and the settings that point the
/// embedded defaults at them.
/// </summary>
internal sealed class DemoEnvironment
{
    private DemoEnvironment(string root, TaskContext task, IReadOnlyDictionary<string, string?> settings)
    {
        Root = root;
        Task = task;
        Settings = settings;
    }

    public string Root { get; }

    public string OriginPath => Path.Combine(Root, "origin.git");

    public TaskContext Task { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static async Task<DemoEnvironment> CreateAsync(string root, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        if (Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new DemoSetupException($"The demo folder '{root}' is not empty; give an empty or new folder.");
        }

        var origin = Path.Combine(root, "origin.git");
        var seed = Path.Combine(root, "seed");
        var slot = Path.Combine(root, "slots", "slot-1");
        var agent = Path.Combine(root, "agent", "demo-agent.sh");

        await GitAsync(root, cancellationToken, "init", "--quiet", "--bare", "--initial-branch=main", origin).ConfigureAwait(false);
        await GitAsync(root, cancellationToken, "init", "--quiet", "--initial-branch=main", seed).ConfigureAwait(false);
        await WriteAsync(seed, "README.md", "# Greeter\n\nA tiny shell project used by the NecroCode.AgentRunner demo.\n", cancellationToken).ConfigureAwait(false);
        await WriteAsync(seed, "greet.sh", "#!/bin/sh\necho \"Hello\"\n", cancellationToken).ConfigureAwait(false);
        await WriteAsync(seed, "tests/run.sh", DemoScripts.TestRunner, cancellationToken).ConfigureAwait(false);
        await WriteAsync(seed, "tests/test_greet.sh", "#!/bin/sh\nsh greet.sh | grep -q '^Hello'\n", cancellationToken).ConfigureAwait(false);
        await WriteAsync(seed, ".gitignore", "*.log\n", cancellationToken).ConfigureAwait(false);
        await GitAsync(seed, cancellationToken, "add", "--all").ConfigureAwait(false);
        await GitAsync(seed, cancellationToken, "-c", "user.name=Demo", "-c", "user.email=demo@necrocode.local", "commit", "--quiet", "-m", "Initial greeter").ConfigureAwait(false);
        await GitAsync(seed, cancellationToken, "push", "--quiet", origin, "main").ConfigureAwait(false);
        Directory.Delete(seed, recursive: true);

        Directory.CreateDirectory(Path.GetDirectoryName(slot)!);
        await GitAsync(root, cancellationToken, "clone", "--quiet", origin, slot).ConfigureAwait(false);
        await WriteAsync(Path.GetDirectoryName(agent)!, "demo-agent.sh", DemoScripts.Agent, cancellationToken).ConfigureAwait(false);

        var task = new TaskContext
        {
            TaskId = "1",
            SpecName = "greeter",
            Title = "Greet by name",
            Description = "greet.sh takes an optional name and greets it; without one it greets NecroCode.",
            AcceptanceCriteria = ["`sh greet.sh Kiro` prints `Hello, Kiro!`", "`sh greet.sh` prints `Hello, NecroCode!`"],
            TestCommands = ["sh tests/run.sh"],
            Timeout = TimeSpan.FromMinutes(5),
        };

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["NecroCode:FileSystem:RootPath"] = root,
            ["NecroCode:Runner:WorkDirectory"] = Path.Combine(root, "work"),
            ["NecroCode:Agent:Command"] = "/bin/sh",
            ["NecroCode:Agent:Arguments:0"] = agent,
            ["NecroCode:Agent:PromptMode"] = "Stdin",
        };
        return new DemoEnvironment(root, task, settings);
    }

    private static async Task WriteAsync(string folder, string relativePath, string content, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
    }

    private static async Task GitAsync(string workingDirectory, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new DemoSetupException("git could not be started.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new DemoSetupException("The demo needs the git executable on PATH: " + ex.Message, ex);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new DemoSetupException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()}");
            }
        }
    }
}

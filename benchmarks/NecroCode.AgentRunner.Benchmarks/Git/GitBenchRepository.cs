using System.Diagnostics;
using System.Text;

namespace NecroCode.AgentRunner.Benchmarks.Git;

/// <summary>
/// The benchmark repository: 5,000 text files, about 20 MB, 200 commits, generated once into a template
/// (kept in the temp folder between benchmark processes) and cloned into a fresh bare origin and slot.
/// </summary>
internal static class GitBenchRepository
{
    public const int FileCount = 5000;
    public const int FileBytes = 4096;
    public const int CommitCount = 200;

    private static readonly string TemplateRoot = Path.Combine(Path.GetTempPath(), "necrocode-bench-git-v1");

    /// <summary>The bare template origin, generated on first use.</summary>
    public static string EnsureTemplate()
    {
        var template = Path.Combine(TemplateRoot, "template.git");
        var marker = Path.Combine(TemplateRoot, "complete");
        if (File.Exists(marker))
        {
            return template;
        }

        if (Directory.Exists(TemplateRoot))
        {
            Directory.Delete(TemplateRoot, recursive: true);
        }

        var work = Path.Combine(TemplateRoot, "work");
        Directory.CreateDirectory(work);
        Run(work, "init", "-q", "--initial-branch=main");
        var random = new Random(5000);
        for (var i = 0; i < FileCount; i++)
        {
            WriteFile(work, i, random, 0);
        }

        Run(work, "add", "--all");
        Run(work, "commit", "-q", "-m", "Initial import");
        for (var commit = 1; commit < CommitCount; commit++)
        {
            for (var j = 0; j < 25; j++)
            {
                WriteFile(work, random.Next(FileCount), random, commit);
            }

            Run(work, "commit", "-q", "-a", "-m", $"Change {commit}");
        }

        Run(TemplateRoot, "clone", "-q", "--bare", work, template);
        Directory.Delete(work, recursive: true);
        File.WriteAllText(marker, "ok");
        return template;
    }

    /// <summary>Creates <c>origin.git</c> (bare) and <c>slot</c> (a clone) under a new folder.</summary>
    public static (string Root, string Origin, string Slot) Create(string name)
    {
        var template = EnsureTemplate();
        var root = Path.Combine(Path.GetTempPath(), $"necrocode-bench-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var origin = Path.Combine(root, "origin.git");
        var slot = Path.Combine(root, "slot");
        Run(root, "clone", "-q", "--bare", "--no-hardlinks", template, origin);
        Run(root, "clone", "-q", origin, slot);
        return (root, origin, slot);
    }

    /// <summary>Rewrites <paramref name="count"/> files of the slot with content unique to <paramref name="round"/>.</summary>
    public static void ChangeFiles(string slot, int count, int round)
    {
        var random = new Random(round);
        var step = FileCount / count;
        for (var i = 0; i < count; i++)
        {
            WriteFile(slot, i * step, random, 100_000 + round);
        }
    }

    /// <summary>Runs git and throws when it fails.</summary>
    public static string Run(string directory, params string[] arguments) => Exec("git", directory, ["-c", "user.name=Bench", "-c", "user.email=bench@example.com", .. arguments]);

    /// <summary>Runs a program and throws when it fails; returns stdout.</summary>
    public static string Exec(string program, string directory, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', startInfo.ArgumentList)} failed in {directory}: {error.Result}");
        }

        return output.Trim();
    }

    /// <summary>Deletes a folder made by <see cref="Create"/>.</summary>
    public static void Delete(string root)
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void WriteFile(string root, int index, Random random, int version)
    {
        var path = Path.Combine(root, $"src/module{index % 50:D2}/part{index / 50 % 10}/file{index:D4}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var builder = new StringBuilder(FileBytes + 100);
        builder.Append("// file ").Append(index).Append(" version ").Append(version).Append('\n');
        while (builder.Length < FileBytes)
        {
            builder.Append("let value").Append(random.Next(100_000)).Append(" = compute(").Append(random.Next(1000)).Append(", \"")
                .Append(random.Next()).Append("\");\n");
        }

        File.WriteAllText(path, builder.ToString());
    }
}

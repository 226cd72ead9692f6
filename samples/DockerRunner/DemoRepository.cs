using System.Diagnostics;

namespace NecroCode.AgentRunner.Samples.DockerRunner;

/// <summary>A temp folder with a bare origin holding a tiny shell calculator and a clone as the task's slot.</summary>
internal sealed class DemoRepository : IDisposable
{
    public const string Agent = """
        cat > /dev/null
        printf '#!/bin/sh\ncase "${3:-+}" in\n  -) echo $(( $1 - $2 ));;\n  *) echo $(( $1 + $2 ));;\nesac\n' > calc.sh
        mkdir -p tests
        printf '#!/bin/sh\n[ "$(sh calc.sh 5 3 -)" = 2 ]\n' > tests/sub.sh
        echo "agent: subtraction implemented"
        """;

    private DemoRepository(string root) => Root = root;

    public string Root { get; }

    public string Origin => Path.Combine(Root, "origin.git");

    public string Slot => Path.Combine(Root, "slot");

    public string HostState => Path.Combine(Root, "host");

    public string JobsPath => Path.Combine(Root, "jobs");

    public static async Task<DemoRepository> CreateAsync()
    {
        var demo = new DemoRepository(Directory.CreateTempSubdirectory("necrocode-docker-demo-").FullName);
        var seed = Path.Combine(demo.Root, "seed");
        await RunAsync("git", demo.Root, "init", "--quiet", "--bare", "--initial-branch=main", demo.Origin);
        await RunAsync("git", demo.Root, "init", "--quiet", "--initial-branch=main", seed);
        await File.WriteAllTextAsync(Path.Combine(seed, "calc.sh"), "#!/bin/sh\necho $(( $1 + $2 ))\n");
        await File.WriteAllTextAsync(Path.Combine(seed, "test.sh"), "#!/bin/sh\nset -e\n[ \"$(sh calc.sh 2 3)\" = 5 ]\nfor t in tests/*.sh; do [ -e \"$t\" ] || continue; sh \"$t\"; done\n");
        await RunAsync("git", seed, "add", "--all");
        await RunAsync("git", seed, "-c", "user.name=Demo", "-c", "user.email=demo@example.com", "commit", "--quiet", "-m", "Calculator");
        await RunAsync("git", seed, "push", "--quiet", demo.Origin, "main");
        await RunAsync("git", demo.Root, "clone", "--quiet", demo.Origin, demo.Slot);
        return demo;
    }

    public TaskContext Task() => new()
    {
        TaskId = "1",
        SpecName = "calc",
        Title = "Add subtraction",
        Description = "calc.sh takes an operator (+ or -) as its third argument.",
        SlotPath = Slot,
        TestCommands = ["sh test.sh"],
    };

    public static async Task RunAsync(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {await stderr}");
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

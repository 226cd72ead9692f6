using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Docker.Tests;

/// <summary>
/// A temp folder with a real bare <c>origin</c> holding a tiny shell project, a clone of it as the assigned
/// slot, the host's file-system registry and artifact store, the jobs folder and a secrets folder.
/// </summary>
internal sealed class DockerSandbox : IDisposable
{
    private DockerSandbox(string root)
    {
        Root = root;
        var options = Microsoft.Extensions.Options.Options.Create(new FileSystemOptions { RootPath = Path.Combine(root, "host") });
        Registry = new FileSystemTaskRegistry(options, TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);
        Store = new FileSystemArtifactStore(options, NullLogger<FileSystemArtifactStore>.Instance);
    }

    public string Root { get; }

    public string Origin => Path.Combine(Root, "origin.git");

    public string Slot => Path.Combine(Root, "slot");

    public string HostState => Path.Combine(Root, "host");

    public string JobsPath => Path.Combine(Root, "jobs");

    public string SecretsPath => Path.Combine(Root, "secrets");

    public FileSystemTaskRegistry Registry { get; }

    public FileSystemArtifactStore Store { get; }

    public static async Task<DockerSandbox> CreateAsync()
    {
        var sandbox = new DockerSandbox(Directory.CreateTempSubdirectory("necrocode-docker-").FullName);
        var seed = Path.Combine(sandbox.Root, "seed");
        await GitAsync(sandbox.Root, "init", "--quiet", "--bare", "--initial-branch=main", sandbox.Origin);
        await GitAsync(sandbox.Root, "init", "--quiet", "--initial-branch=main", seed);
        File.WriteAllText(Path.Combine(seed, "calc.sh"), "#!/bin/sh\necho $(( $1 + $2 ))\n");
        File.WriteAllText(Path.Combine(seed, "test.sh"), "#!/bin/sh\nset -e\n[ \"$(sh calc.sh 2 3)\" = 5 ]\nfor t in tests/*.sh; do [ -e \"$t\" ] || continue; sh \"$t\"; done\necho all tests passed\n");
        await GitAsync(seed, "add", "--all");
        await GitAsync(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", "Initial calc");
        await GitAsync(seed, "push", "--quiet", sandbox.Origin, "main");
        Directory.Delete(seed, recursive: true);
        await GitAsync(sandbox.Root, "clone", "--quiet", sandbox.Origin, sandbox.Slot);
        Directory.CreateDirectory(sandbox.SecretsPath);
        return sandbox;
    }

    public TaskContext Task(string id = "1") => new()
    {
        TaskId = id,
        SpecName = "calc",
        Title = "Add subtraction",
        Description = "calc.sh takes an operator as third argument.",
        SlotPath = Slot,
        TestCommands = ["sh test.sh"],
        Timeout = TimeSpan.FromMinutes(10),
    };

    /// <summary>Options for a container that runs <paramref name="agentScript"/> as the agent (sh -c).</summary>
    public DockerOptions Options(string image, string agentScript) => new()
    {
        Image = image,
        Endpoint = DockerTestEngine.Endpoint,
        RunnerId = "test-" + Guid.NewGuid().ToString("N")[..12],
        JobsPath = JobsPath,
        MemoryBytes = 1024L * 1024 * 1024,
        Cpus = 1,
        NetworkMode = "none",
        StopGracePeriod = TimeSpan.FromSeconds(2),
        Settings =
        {
            ["NecroCode:Agent:Command"] = "sh",
            ["NecroCode:Agent:Arguments:0"] = "-c",
            ["NecroCode:Agent:Arguments:1"] = agentScript,
        },
        // Test scenario only: the bare origin is reachable inside by its host path.
        ExtraMounts = { new DockerMount { Source = Origin, ReadOnly = false } },
    };

    public static async Task<string> GitAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? (await stdout).Trim() : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {await stderr}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner takes the rest.
        }
    }
}

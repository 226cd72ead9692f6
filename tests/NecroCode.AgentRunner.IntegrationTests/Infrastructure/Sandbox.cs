namespace NecroCode.AgentRunner.IntegrationTests.Infrastructure;

/// <summary>
/// A temp folder holding a real bare <c>origin</c> with a tiny shell project whose test passes, the
/// file-system defaults' folders (registry, slots with one clone, artifacts), and stand-in agent scripts.
/// </summary>
internal sealed class Sandbox : IDisposable
{
    private readonly TempFolder _folder = new("necrocode-it-");

    public string Root => _folder.Path;

    public string Origin => Path.Combine(Root, "origin.git");

    public string SlotsPath => Path.Combine(Root, "slots");

    public string RegistryPath => Path.Combine(Root, "registry");

    public string ArtifactsPath => Path.Combine(Root, "artifacts");

    public string WorkPath => Path.Combine(Root, "work");

    /// <summary>
    /// A folder the stand-in agents, test commands and command steps may write to although the runner's sandbox confines
    /// them to the workspace (<c>NecroCode:Sandbox:ExtraWritablePaths</c>): where tests leave their marks.
    /// </summary>
    public string Probe => Path.Combine(Root, "probe");

    /// <summary>
    /// Lets a host started in <paramref name="workingDirectory"/> write to its <see cref="Probe"/> folder, when it has one, unless
    /// <paramref name="environment"/> says otherwise.
    /// </summary>
    public static void AllowProbe(IDictionary<string, string?> environment, string workingDirectory)
    {
        const string Key = "NecroCode__Sandbox__ExtraWritablePaths__0";
        var probe = Path.Combine(workingDirectory, "probe");
        if (Directory.Exists(probe) && !environment.ContainsKey(Key))
        {
            environment[Key] = probe;
        }
    }

    public string Slot(string id = "slot-1") => Path.Combine(SlotsPath, id);

    /// <summary>Creates the sandbox; <paramref name="files"/> (relative path to content), when given, replace the calc project as the origin's first commit.</summary>
    public static async Task<Sandbox> CreateAsync(int slots = 1, IReadOnlyDictionary<string, string>? files = null)
    {
        var sandbox = new Sandbox();
        var seed = Path.Combine(sandbox.Root, "seed");
        await Shell.GitAsync(sandbox.Root, "init", "--quiet", "--bare", "--initial-branch=main", sandbox.Origin);
        await Shell.GitAsync(sandbox.Root, "init", "--quiet", "--initial-branch=main", seed);
        foreach (var (path, content) in files ?? CalcProject)
        {
            Write(seed, path, content);
        }

        await Shell.GitAsync(seed, "add", "--all");
        await Shell.GitAsync(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", files is null ? "Initial calc" : "Initial commit");
        await Shell.GitAsync(seed, "push", "--quiet", sandbox.Origin, "main");
        Directory.Delete(seed, recursive: true);
        Directory.CreateDirectory(sandbox.SlotsPath);
        Directory.CreateDirectory(sandbox.Probe);
        for (var i = 1; i <= slots; i++)
        {
            await Shell.GitAsync(sandbox.Root, "clone", "--quiet", sandbox.Origin, sandbox.Slot($"slot-{i}"));
        }

        return sandbox;
    }

    /// <summary>Writes an executable stand-in agent script and returns its path.</summary>
    public string Agent(string name, string body)
    {
        var path = Path.Combine(Root, "agents", name + ".sh");
        Write(Path.GetDirectoryName(path)!, Path.GetFileName(path), "#!/bin/sh\n" + body + "\n");
        return path;
    }

    public static void Write(string folder, string relativePath, string content)
    {
        var path = Path.Combine(folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static Dictionary<string, string> CalcProject => new()
    {
        ["README.md"] = "# calc\n",
        ["calc.sh"] = "#!/bin/sh\necho $(( $1 + $2 ))\n",
        ["test.sh"] = "#!/bin/sh\nset -e\n[ \"$(sh calc.sh 2 3)\" = 5 ]\nfor t in tests/*.sh; do [ -e \"$t\" ] || continue; sh \"$t\"; done\necho all tests passed\n",
    };

    public IEnumerable<string> AllFiles() => Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories);

    public void Dispose() => _folder.Dispose();
}

using System.Diagnostics;
using System.Text;

namespace NecroCode.AgentRunner.Git.Tests;

/// <summary>
/// A throw-away bare origin with a small history and a clone of it as the slot, in a temp folder.
/// Runs the real git executable.
/// </summary>
public sealed class GitTestRepository : IDisposable
{
    private readonly TempFolder _folder;

    private GitTestRepository(TempFolder folder)
    {
        _folder = folder;
        Root = folder.Path;
        Origin = Path.Combine(Root, "origin.git");
        Slot = Path.Combine(Root, "slot");
    }

    /// <summary>The temp folder holding everything.</summary>
    public string Root { get; }

    /// <summary>The bare origin.</summary>
    public string Origin { get; }

    /// <summary>The slot: a clone of the origin.</summary>
    public string Slot { get; }

    /// <summary>Creates the origin (three commits on main) and the slot.</summary>
    public static async Task<GitTestRepository> CreateAsync()
    {
        var repository = new GitTestRepository(new TempFolder("necrocode-git-tests-"));
        var root = repository.Root;
        await RunAsync(root, "init", "--bare", "--initial-branch=main", repository.Origin);
        var seed = Path.Combine(root, "seed");
        await RunAsync(root, "clone", "--quiet", repository.Origin, seed);
        await RunAsync(seed, "checkout", "-q", "-B", "main");
        Write(seed, "README.md", "# Sample\n\nA small project.\n");
        Write(seed, ".gitignore", "*.log\nbuild/\n");
        await RunAsync(seed, "add", "-A");
        await RunAsync(seed, "commit", "-q", "-m", "Initial commit");
        Write(seed, "src/app.txt", string.Join('\n', Enumerable.Range(1, 40).Select(i => $"line {i} of the application")) + "\n");
        Write(seed, "old/name.txt", string.Join('\n', Enumerable.Range(1, 30).Select(i => $"a line that moves with its file {i}")) + "\n");
        Write(seed, "delete.txt", "to be deleted\n");
        WriteBytes(seed, "data/blob.bin", [.. Enumerable.Range(0, 600).Select(i => (byte)(i * 7 % 256))]);
        Write(seed, "scripts/run.sh", "#!/bin/sh\necho run\n");
        await RunAsync(seed, "add", "-A");
        await RunAsync(seed, "update-index", "--chmod=+x", "scripts/run.sh");
        await RunAsync(seed, "commit", "-q", "-m", "Add application");
        File.CreateSymbolicLink(Path.Combine(seed, "link"), "README.md");
        File.CreateSymbolicLink(Path.Combine(seed, "becomes-file"), "README.md");
        Write(seed, "becomes-link.txt", "a file that becomes a symlink\n");
        await RunAsync(seed, "add", "-A");
        await RunAsync(seed, "commit", "-q", "-m", "Add links");
        await RunAsync(seed, "push", "-q", "origin", "main");
        await RunAsync(root, "clone", "--quiet", repository.Origin, repository.Slot);
        return repository;
    }

    /// <summary>Writes a text file (creating folders) under <paramref name="directory"/>.</summary>
    public static void Write(string directory, string relativePath, string content)
    {
        var path = Path.Combine(directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
    }

    /// <summary>Writes a binary file (creating folders) under <paramref name="directory"/>.</summary>
    public static void WriteBytes(string directory, string relativePath, byte[] content)
    {
        var path = Path.Combine(directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    /// <summary>Runs git in <paramref name="directory"/>; throws when it fails; returns trimmed stdout.</summary>
    public static async Task<string> RunAsync(string directory, params string[] arguments)
    {
        var (exitCode, output, error) = await TryRunAsync(directory, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed in {directory} ({exitCode}): {error}");
        }

        return output.Trim();
    }

    /// <summary>Runs git in <paramref name="directory"/> and returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> TryRunAsync(string directory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "core.editor=true", "-c", "init.defaultBranch=main", .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";
        startInfo.Environment["GIT_EDITOR"] = "true";
        startInfo.Environment["LC_ALL"] = "C";
        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Git in the slot.</summary>
    public Task<string> SlotAsync(params string[] arguments) => RunAsync(Slot, arguments);

    /// <summary>Git in the origin.</summary>
    public Task<string> OriginAsync(params string[] arguments) => RunAsync(Origin, arguments);

    /// <summary>Adds a commit to the origin's <paramref name="branch"/> through a separate clone.</summary>
    public async Task<string> PushToOriginAsync(string branch, string file, string content)
    {
        var clone = Path.Combine(Root, "other-" + Guid.NewGuid().ToString("N")[..8]);
        await RunAsync(Root, "clone", "--quiet", Origin, clone);
        var exists = (await TryRunAsync(clone, "rev-parse", "--verify", "--quiet", $"refs/remotes/origin/{branch}")).ExitCode == 0;
        await RunAsync(clone, "checkout", "-q", "-B", branch, exists ? $"origin/{branch}" : "origin/main");
        Write(clone, file, content);
        await RunAsync(clone, "add", "-A");
        await RunAsync(clone, "commit", "-q", "-m", $"Change {file}");
        await RunAsync(clone, "push", "-q", "origin", $"{branch}:{branch}");
        return await RunAsync(clone, "rev-parse", "HEAD");
    }

    /// <summary>The working tree status of the slot, porcelain, untracked files included.</summary>
    public Task<string> SlotStatusAsync() => SlotAsync("status", "--porcelain", "--untracked-files=all");

    /// <inheritdoc />
    public void Dispose() => _folder.Dispose();
}

using BenchmarkDotNet.Attributes;

namespace NecroCode.AgentRunner.Benchmarks.Git;

/// <summary>(a) Prepare a used slot: fetch, onto origin/main, a new task branch, clean.</summary>
public class GitPrepareBenchmarks : GitBenchmarkBase
{
    /// <inheritdoc />
    protected override string Script =>
        "git fetch -q --no-tags origin +refs/heads/main:refs/remotes/origin/main\n" +
        "git checkout -q -f --no-track -B \"$1\" origin/main\n" +
        "git branch -f main origin/main\n" +
        "git clean -ffdxq";

    /// <summary>
    /// What an earlier task left: <c>dirty</c> — another branch 20 commits back, 50 changed files and an untracked one
    /// (the full recovery); <c>clean</c> — its committed task branch one commit past main and nothing else (the common
    /// case, as in <c>eng/bench/overhead.sh</c>'s prepare row).
    /// </summary>
    [Params("dirty", "clean")]
    public string LeftBehind { get; set; } = "dirty";

    /// <summary>Leaves the slot as an earlier task would.</summary>
    [IterationSetup]
    public void LeaveSlotUsed()
    {
        if (LeftBehind == "clean")
        {
            GitBenchRepository.Run(Slot, "checkout", "-q", "-f", "-B", "earlier-task", "origin/main");
            GitBenchRepository.Run(Slot, "clean", "-ffdxq");
            File.WriteAllText(Path.Combine(Slot, "task-note.txt"), $"round {++Round}");
            GitBenchRepository.Run(Slot, "add", "--all");
            GitBenchRepository.Run(Slot, "commit", "-q", "-m", "Earlier task");
            return;
        }

        GitBenchRepository.Run(Slot, "checkout", "-q", "-f", "-B", "earlier-task", "origin/main~20");
        GitBenchRepository.ChangeFiles(Slot, 50, ++Round);
        File.WriteAllText(Path.Combine(Slot, "untracked.txt"), "left over");
    }

    /// <summary>The plain git CLI.</summary>
    [Benchmark(Baseline = true)]
    public void GitCli() => RunScript(Branch);

    /// <summary>The workspace manager.</summary>
    [Benchmark]
    public Task NecroCode() =>
        Manager.PrepareAsync(new WorkspaceRequest(Slot, Branch, new TaskKey("bench", "1"), Events), CancellationToken.None);
}

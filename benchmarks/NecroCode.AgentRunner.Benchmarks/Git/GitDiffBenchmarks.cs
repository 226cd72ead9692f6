using BenchmarkDotNet.Attributes;

namespace NecroCode.AgentRunner.Benchmarks.Git;

/// <summary>(c) Capture the diff of 500 changed files (binary-safe patch, untracked files included, slot index untouched).</summary>
public class GitDiffBenchmarks : GitBenchmarkBase
{
    private string _base = "";

    /// <inheritdoc />
    protected override string Script =>
        "export GIT_INDEX_FILE=\"$(mktemp)\"\n" +
        "cp .git/index \"$GIT_INDEX_FILE\"\n" +
        "git add --all\n" +
        "git diff --cached -M --binary --full-index \"$1\" -- > \"$GIT_INDEX_FILE.patch\"\n" +
        "rm -f \"$GIT_INDEX_FILE\" \"$GIT_INDEX_FILE.patch\"";

    /// <summary>A fresh task branch with 500 changed files.</summary>
    [IterationSetup]
    public void Change()
    {
        CheckOutWithChanges(Branch);
        _base = GitBenchRepository.Run(Slot, "rev-parse", "HEAD");
    }

    /// <summary>The plain git CLI.</summary>
    [Benchmark(Baseline = true)]
    public void GitCli() => RunScript(_base);

    /// <summary>The workspace manager.</summary>
    [Benchmark]
    public Task NecroCode() => Manager.GetDiffAsync(Slot, _base, CancellationToken.None);
}

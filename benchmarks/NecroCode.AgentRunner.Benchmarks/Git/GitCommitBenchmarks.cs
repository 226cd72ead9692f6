using BenchmarkDotNet.Attributes;

namespace NecroCode.AgentRunner.Benchmarks.Git;

/// <summary>(b) Stage and commit 500 changed files.</summary>
public class GitCommitBenchmarks : GitBenchmarkBase
{
    /// <inheritdoc />
    protected override string Script => "git add --all\ngit -c user.name=Bench -c user.email=bench@example.com commit -q -m \"$1\"";

    /// <summary>A fresh task branch with 500 changed files.</summary>
    [IterationSetup]
    public void Change() => CheckOutWithChanges(Branch);

    /// <summary>The plain git CLI.</summary>
    [Benchmark(Baseline = true)]
    public void GitCli() => RunScript("feat: change 500 files");

    /// <summary>The workspace manager.</summary>
    [Benchmark]
    public Task NecroCode() => Manager.CommitAsync(new CommitRequest(Slot, "feat: change 500 files"), CancellationToken.None);
}

using BenchmarkDotNet.Attributes;

namespace NecroCode.AgentRunner.Benchmarks.Git;

/// <summary>(d) Push a new task branch with one commit of 500 changed files to the local bare origin.</summary>
public class GitPushBenchmarks : GitBenchmarkBase
{
    private string _branch = "";

    /// <inheritdoc />
    protected override string Script => "git push -q --no-verify origin \"refs/heads/$1:refs/heads/$1\"";

    /// <summary>
    /// A new task branch with a commit of 500 changed files, in a slot the manager prepared (it pushes only to
    /// the URL it recorded then, with the configuration the slot had then).
    /// </summary>
    [IterationSetup]
    public void Commit()
    {
        _branch = $"bench/task-{Round + 1}";
        Manager.PrepareAsync(new WorkspaceRequest(Slot, _branch, new TaskKey("bench", "1"), Events), CancellationToken.None).GetAwaiter().GetResult();
        GitBenchRepository.ChangeFiles(Slot, 500, ++Round);

        // No background auto-gc: it would still hold the slot's gc.log.lock when the next iteration prepares the slot.
        GitBenchRepository.Run(Slot, "-c", "gc.auto=0", "commit", "-q", "-a", "-m", "feat: change 500 files");
    }

    /// <summary>The plain git CLI.</summary>
    [Benchmark(Baseline = true)]
    public void GitCli() => RunScript(_branch);

    /// <summary>The workspace manager.</summary>
    [Benchmark]
    public Task NecroCode() => Manager.PushAsync(new PushRequest(Slot, _branch, Events), CancellationToken.None);
}

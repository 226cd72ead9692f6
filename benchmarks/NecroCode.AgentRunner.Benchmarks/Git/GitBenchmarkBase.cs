using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Git;

namespace NecroCode.AgentRunner.Benchmarks.Git;

/// <summary>
/// Shared setup of the git step benchmarks: a fresh origin and slot from the generated repository, the
/// <see cref="GitWorkspaceManager"/> under test, and the same step as a plain git shell script (the baseline).
/// A short job: one process, few iterations, one invocation per iteration (each needs its own setup).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 8, invocationCount: 1)]
public abstract class GitBenchmarkBase
{
    /// <summary>The task branch.</summary>
    protected const string Branch = "bench/task-1";

    private string _root = "";

    /// <summary>The slot.</summary>
    protected string Slot { get; private set; } = "";

    /// <summary>The manager under test.</summary>
    protected GitWorkspaceManager Manager { get; private set; } = null!;

    /// <summary>Counts iterations, so every round writes new content.</summary>
    protected int Round { get; set; }

    /// <summary>An event sink that drops everything.</summary>
    protected IRunEventSink Events { get; } = new NullSink();

    /// <summary>Creates origin and slot.</summary>
    [GlobalSetup]
    public void CreateRepository()
    {
        (_root, _, Slot) = GitBenchRepository.Create(GetType().Name);
        Manager = new GitWorkspaceManager(
            Options.Create(new AgentRunnerOptions()),
            Options.Create(new GitOptions { AuthorName = "Bench", AuthorEmail = "bench@example.com" }),
            TimeProvider.System);
        var script = Path.Combine(_root, "step.sh");
        File.WriteAllText(script, "#!/bin/sh\nset -e\n" + Script + "\n");
        ScriptPath = script;
    }

    /// <summary>Deletes origin and slot.</summary>
    [GlobalCleanup]
    public void DeleteRepository() => GitBenchRepository.Delete(_root);

    /// <summary>The baseline's shell commands, run with <c>sh step.sh ARG</c> in the slot.</summary>
    protected abstract string Script { get; }

    private string ScriptPath { get; set; } = "";

    /// <summary>Runs the baseline script with one argument.</summary>
    protected void RunScript(string argument) => GitBenchRepository.Exec("sh", Slot, [ScriptPath, argument]);

    /// <summary>Puts the slot on a fresh task branch at origin/main with 500 changed files.</summary>
    protected void CheckOutWithChanges(string branch)
    {
        GitBenchRepository.Run(Slot, "checkout", "-q", "-f", "--no-track", "-B", branch, "origin/main");
        GitBenchRepository.Run(Slot, "clean", "-ffdxq");
        GitBenchRepository.ChangeFiles(Slot, 500, ++Round);
    }

    private sealed class NullSink : IRunEventSink
    {
        public void Publish(RunEvent runEvent)
        {
        }
    }
}

using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// <c>spec run</c> with the real host over real repositories: a spec of two independent chains runs two at a time,
/// each task on its own branch stacked on its dependency's; a failed task blocks its dependants and the rest go on;
/// a re-run skips done tasks; a killed spec run resumes; a malformed spec is refused before anything runs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SpecRunTests
{
    private const int SigkillExitCode = 128 + 9;

    /// <summary>Two chains of three: 1.1 → 1.2 → 1.3, and 2.1 → 2.2 → 2.3 (independent of the first).</summary>
    private const string TwoChains = """
        # Implementation Plan

        - [ ] 1. Chain A
          - [ ] 1.1 First of A
            - Create file `a1.txt`
          - [ ] 1.2 Second of A
            - Requires file `a1.txt`
            - Create file `a2.txt`
          - [ ] 1.3 Third of A
            - Requires file `a2.txt`
            - Create file `a3.txt`

        - [ ] 2. Chain B
          - _Depends: none_
          - [ ] 2.1 First of B
            - Create file `b1.txt`
          - [ ] 2.2 Second of B
            - Requires file `b1.txt`
            - Create file `b2.txt`
          - [ ] 2.3 Third of B
            - Requires file `b2.txt`
            - Create file `b3.txt`
        """;

    private static readonly string[] AllTasks = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"];

    [Test]
    public async Task SpecRun_TwoChainsTwoAtATime_EachBranchStackedOnItsDependency()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 2);
        var (folder, arguments) = WriteSpec(sandbox, TwoChains);

        var run = await CliHost.RunAsync(sandbox.Root, null, ["spec", "run", folder, "--parallel", "2", .. arguments]);

        Assert.That(run.ExitCode, Is.Zero, run.StandardOutput + run.StandardError);
        var commits = await BranchCommitsAsync(sandbox, AllTasks);
        var main = await Shell.GitAsync(sandbox.Origin, "rev-parse", "main");
        var output = run.StandardOutput;
        Assert.Multiple(() =>
        {
            foreach (var (task, dependency) in new[] { ("1.1", (string?)null), ("1.2", "1.1"), ("1.3", "1.2"), ("2.1", null), ("2.2", "2.1"), ("2.3", "2.2") })
            {
                Assert.That(commits[task].Parent, Is.EqualTo(dependency is null ? main : commits[dependency].Commit), $"task {task} starts from {dependency ?? "main"}");
            }

            Assert.That(output.IndexOf("task 2.1 starts", StringComparison.Ordinal), Is.LessThan(output.IndexOf("task 1.1 succeeded", StringComparison.Ordinal)), "the chains' first tasks run side by side");
            Assert.That(output.IndexOf("task 1.2 starts", StringComparison.Ordinal), Is.GreaterThan(output.IndexOf("task 1.1 succeeded", StringComparison.Ordinal)));
            Assert.That(File.ReadAllText(Path.Combine(sandbox.Probe, "prompts", "a2.txt.prompt")), Does.Contain($"Task 1.1: First of A (branch feature/task-calc-1.1, commit {commits["1.1"].Commit})"));
            Assert.That(File.ReadAllText(Path.Combine(folder, "tasks.md")), Is.EqualTo(TwoChains.Replace("[ ]", "[x]", StringComparison.Ordinal)));
            Assert.That(output, Does.Match(@"1\.3\s+Succeeded\s+feature/task-calc-1\.3\s+[0-9a-f]{10}\s+[0-9.]+s\s+1"));
        });
    }

    [Test]
    public async Task SpecRun_TaskFails_BlocksItsDependantsOnly_ThenReRunSkipsDoneTasks()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 2);
        var failing = TwoChains.Replace("    - Create file `a2.txt`", "    - Create file `a2.txt`\n    - Fail here", StringComparison.Ordinal);
        var (folder, arguments) = WriteSpec(sandbox, failing);
        var tasksFile = Path.Combine(folder, "tasks.md");

        var failed = await CliHost.RunAsync(sandbox.Root, null, ["spec", "run", folder, "--parallel", "2", .. arguments]);
        var afterFailure = File.ReadAllText(tasksFile);
        File.WriteAllText(tasksFile, afterFailure.Replace("\n    - Fail here", "", StringComparison.Ordinal));
        File.Delete(AgentLog(sandbox));
        var rerun = await CliHost.RunAsync(sandbox.Root, null, ["spec", "run", folder, .. arguments]);

        Assert.Multiple(() =>
        {
            Assert.That(failed.ExitCode, Is.EqualTo(1), failed.StandardOutput + failed.StandardError);
            Assert.That(failed.StandardOutput, Does.Contain("Task 1.3: task 1.2 it depends on failed"));
            Assert.That(afterFailure, Does.Contain("- [-] 1. Chain A").And.Contain("- [x] 1.1 First").And.Contain("- [ ] 1.2 Second").And.Contain("- [ ] 1.3 Third"));
            Assert.That(afterFailure, Does.Contain("- [x] 2. Chain B").And.Contain("- [x] 2.3 Third of B"));
            Assert.That(rerun.ExitCode, Is.Zero, rerun.StandardOutput + rerun.StandardError);
            Assert.That(File.ReadAllLines(AgentLog(sandbox)), Is.EqualTo(new[] { "a2.txt", "a3.txt" }), "the re-run runs only the tasks not done");
            Assert.That(rerun.StandardOutput, Does.Match(@"2\.1\s+AlreadyDone"));
            Assert.That(File.ReadAllText(tasksFile), Does.Not.Contain("[ ]").And.Not.Contain("[-]"));
        });
    }

    [Test]
    public async Task SpecRun_KilledAfterAPush_ResumesWithoutRepeatingIt()
    {
        using var sandbox = await Sandbox.CreateAsync();
        await Shell.GitAsync(sandbox.Origin, "config", "core.logAllRefUpdates", "always");
        var (folder, arguments) = WriteSpec(sandbox, TwoChains);
        var tasksFile = Path.Combine(folder, "tasks.md");

        var killed = await CliHost.RunAsync(sandbox.Root, new Dictionary<string, string?> { ["NECROCODE_FAILPOINT"] = "push:after-effect" }, ["spec", "run", folder, .. arguments]);
        var afterKill = File.ReadAllText(tasksFile);
        var resumed = await CliHost.RunAsync(sandbox.Root, null, ["spec", "run", folder, .. arguments]);

        Assert.Multiple(() =>
        {
            Assert.That(killed.ExitCode, Is.EqualTo(SigkillExitCode), killed.StandardOutput + killed.StandardError);
            Assert.That(afterKill, Does.Contain("- [-] 1.1 First of A").And.Contain("- [ ] 1.2 Second of A"));
            Assert.That(resumed.ExitCode, Is.Zero, resumed.StandardOutput + resumed.StandardError);
            Assert.That(resumed.StandardOutput, Does.Contain("task 1.1 resumes"));
            Assert.That(File.ReadAllText(tasksFile), Is.EqualTo(TwoChains.Replace("[ ]", "[x]", StringComparison.Ordinal)));
            Assert.That(File.ReadAllLines(Path.Combine(sandbox.Origin, "logs", "refs", "heads", "feature", "task-calc-1.1")), Has.Length.EqualTo(1), "task 1.1 was pushed once");
            Assert.That(File.ReadAllLines(AgentLog(sandbox)).Count(l => l == "a1.txt"), Is.EqualTo(1), "the agent did task 1.1 once");
        });
        var commits = await BranchCommitsAsync(sandbox, AllTasks);
        Assert.That(commits["1.2"].Parent, Is.EqualTo(commits["1.1"].Commit));
    }

    [TestCase("- [ ] 1. First\n- [ ] 1. Again\n", 2, "task 1 is numbered twice")]
    [TestCase("- [ ] 1. First\n  - [ ] 2.1 Misplaced\n", 2, "number it 1.N")]
    [TestCase("- [ ] 1. First\n  - _Requirements: 4.2_\n", 2, "refers to requirement 4.2")]
    [TestCase("- [ ] 1. First\n  - _Depends: 2_\n- [ ] 2. Second\n", 2, "the dependencies form a cycle: 1 → 2 → 1")]
    public async Task SpecRun_MalformedSpec_RefusedWithFileAndLineBeforeAnythingRuns(string tasks, int line, string message)
    {
        using var sandbox = await Sandbox.CreateAsync();
        var (folder, arguments) = WriteSpec(sandbox, tasks);

        var run = await CliHost.RunAsync(sandbox.Root, null, ["spec", "run", folder, .. arguments]);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.StandardError, Does.Contain($"{Path.Combine(folder, "tasks.md")}:{line}: ").And.Contain(message));
            Assert.That(File.ReadAllText(Path.Combine(folder, "tasks.md")), Is.EqualTo(tasks));
            Assert.That(await Shell.GitAsync(sandbox.Origin, "branch", "--list"), Is.EqualTo("* main"));
            Assert.That(File.Exists(AgentLog(sandbox)), Is.False);
        });
    }

    [Test]
    public async Task SpecDryRun_PrintsRoundsAndTouchesNothing()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var (folder, arguments) = WriteSpec(sandbox, TwoChains);

        var run = await CliHost.RunAsync(sandbox.Root, null, ["spec", "run", folder, "--dry-run", "--only", "1", "--parallel", "2", .. arguments]);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.StandardError);
            Assert.That(run.StandardOutput, Does.Contain("Round 1:\n  run    1.1    First of A → feature/task-calc-1.1\nRound 2:"));
            Assert.That(run.StandardOutput, Does.Contain("skip   2.1    First of B (not selected)"));
            Assert.That(File.ReadAllText(Path.Combine(folder, "tasks.md")), Is.EqualTo(TwoChains));
            Assert.That(await Shell.GitAsync(sandbox.Origin, "branch", "--list"), Is.EqualTo("* main"));
        });
    }

    [Test]
    public async Task SpecRun_JsonLines_EndsWithTheSpecResultLine()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var (folder, arguments) = WriteSpec(sandbox, "- [ ] 1. Only task\n  - Create file `one.txt`\n");

        var run = await CliHost.RunAsync(sandbox.Root, null, ["spec", "run", folder, "--output", "jsonl", .. arguments]);

        var last = System.Text.Json.Nodes.JsonNode.Parse(run.StandardOutput.TrimEnd().Split('\n')[^1])!;
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.StandardError);
            Assert.That((string?)last["type"], Is.EqualTo("spec.result"));
            Assert.That((string?)last["tasks"]![0]!["outcome"], Is.EqualTo("Succeeded"));
            Assert.That((string?)last["tasks"]![0]!["result"]!["branch"], Is.EqualTo("feature/task-calc-1"));
        });
    }

    [Test]
    public async Task SpecShow_PrintsTheGraph()
    {
        using var sandbox = await Sandbox.CreateAsync();
        var (folder, _) = WriteSpec(sandbox, TwoChains);

        var show = await CliHost.RunAsync(sandbox.Root, null, ["spec", "show", folder]);

        Assert.Multiple(() =>
        {
            Assert.That(show.ExitCode, Is.Zero, show.StandardError);
            Assert.That(show.StandardOutput, Does.Contain("  [ ]  2.1    First of B  (no dependency)"));
            Assert.That(show.StandardOutput, Does.Contain("  [ ]  2.2    Second of B  after 2.1 (order)"));
        });
    }

    /// <summary>
    /// Writes the spec folder and a stand-in agent that creates the files its prompt asks for, fails when a file it
    /// requires is missing (so a task that does not see its dependency's work fails), keeps each prompt and logs each
    /// task it did.
    /// </summary>
    private static (string Folder, string[] Arguments) WriteSpec(Sandbox sandbox, string tasks)
    {
        var folder = Path.Combine(sandbox.Root, "spec", "calc");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "tasks.md"), tasks);
        File.WriteAllText(Path.Combine(folder, "requirements.md"), "# Requirements Document\n\n### Requirement 1: Files\n\n#### Acceptance Criteria\n\n1. THE task SHALL create its file\n");
        var prompts = Path.Combine(sandbox.Probe, "prompts");
        Directory.CreateDirectory(prompts);
        var agent = sandbox.Agent("spec-agent", $$"""
            prompt=$(cat)
            created=$(printf '%s\n' "$prompt" | sed -n 's/.*Create file `\([^`]*\)`.*/\1/p' | head -n 1)
            printf '%s\n' "$prompt" > "{{prompts}}/$created.prompt"
            if printf '%s\n' "$prompt" | grep -q 'Fail here'; then echo 'agent: told to fail' >&2; exit 7; fi
            for f in $(printf '%s\n' "$prompt" | sed -n 's/.*Requires file `\([^`]*\)`.*/\1/p'); do
              [ -e "$f" ] || { echo "agent: $f is missing" >&2; exit 3; }
            done
            echo done > "$created"
            echo "$created" >> "{{AgentLog(sandbox)}}"
            """);
        string[] arguments =
        [
            "--root", sandbox.Root, "--agent-command", "/bin/sh", "--agent-arg", agent, "--test", "sh test.sh",
            "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
        ];
        return (folder, arguments);
    }

    private static string AgentLog(Sandbox sandbox) => Path.Combine(sandbox.Probe, "agent.log");

    /// <summary>Each task branch's tip on the origin and that commit's parent.</summary>
    private static async Task<Dictionary<string, (string Commit, string Parent)>> BranchCommitsAsync(Sandbox sandbox, IEnumerable<string> tasks)
    {
        var commits = new Dictionary<string, (string Commit, string Parent)>();
        foreach (var task in tasks)
        {
            var commit = await Shell.GitAsync(sandbox.Origin, "rev-parse", $"feature/task-calc-{task}");
            commits[task] = (commit, await Shell.GitAsync(sandbox.Origin, "rev-parse", $"{commit}^"));
        }

        return commits;
    }
}

using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// The sample spec (samples/specs/calc-operations) carried out by the real host over the calculator repository it
/// is written for, with a stand-in agent that does each task the way the task describes it.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SpecSampleTests
{
    /// <summary>Carries out the sample's tasks by number, as the prompt's heading (<c># Task 1.2: …</c>) names them.</summary>
    private const string StandInAgent = """
        task=$(sed -n 's/^# Task \([0-9.]*\):.*/\1/p' | head -n 1)
        mkdir -p ops tests docs
        case "$task" in
          1.1)
            cat > calc.sh <<'SCRIPT'
        #!/bin/sh
        case "${3:-+}" in
          +) name=add;; -) name=sub;; x) name=mul;; /) name=div;;
          *) echo "unknown operator: $3" >&2; exit 2;;
        esac
        [ -f "ops/$name.sh" ] || { echo "unknown operator: $3" >&2; exit 2; }
        exec sh "ops/$name.sh" "$1" "$2"
        SCRIPT
            echo 'echo $(( $1 + $2 ))' > ops/add.sh
            printf '[ "$(sh calc.sh 2 3 +)" = 5 ]\n' > tests/add.sh
            printf 'sh calc.sh 2 3 %% 2>/dev/null; [ $? -eq 2 ]\n' > tests/unknown.sh;;
          1.2)
            [ -f ops/add.sh ] || { echo "agent: the dispatcher is missing" >&2; exit 3; }
            echo 'echo $(( $1 - $2 ))' > ops/sub.sh
            printf '[ "$(sh calc.sh 5 3 -)" = 2 ]\n' > tests/sub.sh;;
          2.1)
            [ -f ops/sub.sh ] || { echo "agent: subtraction is missing" >&2; exit 3; }
            echo 'echo $(( $1 * $2 ))' > ops/mul.sh
            printf '[ "$(sh calc.sh 6 3 x)" = 18 ]\n' > tests/mul.sh;;
          2.2)
            printf '[ "$2" -ne 0 ] || { echo "division by zero" >&2; exit 2; }\necho $(( $1 / $2 ))\n' > ops/div.sh
            printf '[ "$(sh calc.sh 7 2 /)" = 3 ]\nsh calc.sh 7 0 / 2>/dev/null; [ $? -eq 2 ]\n' > tests/div.sh;;
          3)
            printf '# Usage\n\n- `sh calc.sh 2 3` or `sh calc.sh 2 3 +`: 5\n- `sh calc.sh 5 3 -`: 2\n- `sh calc.sh 6 3 x`: 18\n- `sh calc.sh 7 2 /`: 3\n' > docs/usage.md;;
          *) echo "agent: no such task '$task'" >&2; exit 3;;
        esac
        echo "agent: did task $task"
        """;

    [Test]
    public async Task SampleSpec_RunTwoAtATime_DoesEveryRequiredTaskOnStackedBranches()
    {
        using var sandbox = await Sandbox.CreateAsync(slots: 2);
        var folder = Path.Combine(sandbox.Root, ".kiro", "specs", "calc-operations");
        CopyFolder(Path.Combine(SourceTree.Root, "samples", "specs", "calc-operations"), folder);
        var sample = File.ReadAllText(Path.Combine(folder, "tasks.md"));
        var agent = sandbox.Agent("calc-agent", StandInAgent);

        var run = await CliHost.RunAsync(sandbox.Root, null,
        [
            "spec", "run", folder, "--parallel", "2", "--root", sandbox.Root, "--agent-command", "/bin/sh", "--agent-arg", agent, "--test", "sh test.sh",
            "--set", "NecroCode:Agent:PromptMode=Stdin", "--set", $"NecroCode:Runner:WorkDirectory={sandbox.WorkPath}",
        ]);

        Assert.That(run.ExitCode, Is.Zero, run.StandardOutput + run.StandardError);
        var checkout = Path.Combine(sandbox.Root, "checkout");
        await Shell.GitAsync(sandbox.Root, "clone", "--quiet", "--branch", "feature/task-calc-operations-2.2", sandbox.Origin, checkout);
        var ticked = sample.Replace("- [ ] ", "- [x] ", StringComparison.Ordinal);
        Assert.Multiple(async () =>
        {
            Assert.That(File.ReadAllText(Path.Combine(folder, "tasks.md")), Is.EqualTo(ticked), "required tasks and their parents ticked off, the optional one left");
            Assert.That(await Shell.GitAsync(checkout, "log", "--format=%s", "origin/main.."), Is.EqualTo(
                "feat(task-2.2): Add division with a zero check\nfeat(task-2.1): Add multiplication\nfeat(task-1.2): Add subtraction\nfeat(task-1.1): Turn calc.sh into a dispatcher with an addition script"));
            Assert.That(await Shell.RunAsync("sh", checkout, ["calc.sh", "7", "2", "/"]), Is.EqualTo(new Shell.Output(0, "3\n", "")));
            Assert.That((await Shell.RunAsync("sh", checkout, ["calc.sh", "7", "0", "/"])).ExitCode, Is.EqualTo(2));
            Assert.That(await Shell.GitAsync(sandbox.Origin, "log", "--format=%s", "main..feature/task-calc-operations-3"), Is.EqualTo("feat(task-3): Write the usage page"));
            Assert.That(run.StandardOutput, Does.Match(@"2\.3\s+Skipped"));
        });
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}

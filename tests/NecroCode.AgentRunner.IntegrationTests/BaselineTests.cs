using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli;
using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// The baseline end to end: real git, real pytest writing JUnit XML, a stand-in agent. The base already has a failing
/// test (division by zero); the run is judged by what the change did to each test case.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BaselineTests
{
    private static readonly Dictionary<string, string> PythonProject = new()
    {
        ["README.md"] = "# calc\n",
        ["calc.py"] = "def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a * b\n\ndef div(a, b):\n    return a / b\n",
        ["test_calc.py"] = """
            import calc

            def test_add():
                assert calc.add(2, 3) == 5

            def test_mul():
                assert calc.mul(2, 3) == 6

            def test_div_by_zero_is_none():
                assert calc.div(1, 0) is None
            """,
    };

    private static string TestCommand() => $"PYTHONDONTWRITEBYTECODE=1 {TestTools.Pytest()} -q -p no:cacheprovider --junitxml=junit.xml";

    private static string Agent(Sandbox sandbox, string body) => sandbox.Agent("agent", $"""
        cat > "{sandbox.Probe}/prompt-$NECROCODE_ATTEMPT.md"
        {body}
        """);

    [Test]
    public async Task RunAsync_TheAgentBreaksAnotherTest_FailsNamingOnlyTheRegression()
    {
        var command = TestCommand();
        using var sandbox = await Sandbox.CreateAsync(files: PythonProject);
        var breaksMultiplication = "sed -i 's/return a \\* b/return a + b/' calc.py";
        await using var services = RunnerFactory.Create(sandbox, Agent(sandbox, breaksMultiplication), new Dictionary<string, string?> { ["NecroCode:Runner:MaxFixAttempts"] = "1" });
        var task = RunnerFactory.Task("1", command);

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        var events = await services.GetRequiredService<ITaskRegistry>().GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        var failed = events.Single(e => e.Type == TaskEventTypes.TaskFailed);
        var summary = new StringWriter();
        SummaryWriter.Write(summary, result);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TestsFailed));
            Assert.That(result.Error!.Message, Does.Contain("test_calc::test_mul (regressed)").And.Not.Contain("test_div_by_zero_is_none"));
            var classes = result.Tests!.Comparison!.Tests.Where(t => !t.IsCommand).ToDictionary(t => t.Name, t => t.Class);
            Assert.That(classes, Is.EquivalentTo(new Dictionary<string, TestCaseClass>
            {
                ["test_calc::test_add"] = TestCaseClass.Passing,
                ["test_calc::test_mul"] = TestCaseClass.Regressed,
                ["test_calc::test_div_by_zero_is_none"] = TestCaseClass.StillFailing,
            }));
            var prompt = File.ReadAllText(Path.Combine(sandbox.Probe, "prompt-2.md"));
            Assert.That(prompt, Does.Contain("test_calc::test_mul (regressed)").And.Not.Contain("test_div_by_zero_is_none"));
            Assert.That(failed.Data, Does.ContainKey("tests:blocking").WithValue("Regressed: test_calc::test_mul").And.ContainKey("tests:stillFailing").WithValue("1"));
            Assert.That(summary.ToString(), Does.Contain("test_calc::test_mul"));
        });
    }

    [Test]
    public async Task RunAsync_TheAgentFixesThePreexistingFailure_SucceedsWithTheCaseFixed()
    {
        var command = TestCommand();
        using var sandbox = await Sandbox.CreateAsync(files: PythonProject);
        var fixesDivision = "printf 'def add(a, b):\\n    return a + b\\n\\ndef mul(a, b):\\n    return a * b\\n\\ndef div(a, b):\\n    return None if b == 0 else a / b\\n' > calc.py";
        await using var services = RunnerFactory.Create(sandbox, Agent(sandbox, fixesDivision));
        var task = RunnerFactory.Task("1", command);

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        var record = await services.GetRequiredService<ITaskRegistry>().GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var artifacts = record!.Artifacts.ToDictionary(a => a.Name, a => a.Uri!.LocalPath);
        var files = await Shell.GitAsync(sandbox.Origin, "ls-tree", "--name-only", "-r", result.CommitId ?? "main");
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.Tests!.Comparison!.Tests.Single(t => t.Name == "test_calc::test_div_by_zero_is_none").Class, Is.EqualTo(TestCaseClass.Fixed));
            Assert.That(File.ReadAllText(artifacts["test-results.json"]), Does.Contain("\"class\": \"Fixed\"").And.Contain("\"baseCommit\""));
            Assert.That(files.Split('\n'), Does.Not.Contain("junit.xml"), "the result file never reaches the commit");
        });
    }

    [Test]
    public async Task RunAsync_NoResultFilesAndTheBaseAlreadyFails_ExitCodesComparedAndTheRunSucceeds()
    {
        using var sandbox = await Sandbox.CreateAsync();
        await using var services = RunnerFactory.Create(sandbox, Agent(sandbox, "echo '# more' >> README.md"));
        var task = RunnerFactory.Task("1", "sh test.sh && test -f never-there");

        var result = await services.Orchestrator().RunAsync(task, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(result.Tests!.Outcome, Is.EqualTo(TestOutcome.Failed));
            Assert.That(result.Tests.Comparison!.Tests.Single().Class, Is.EqualTo(TestCaseClass.StillFailing));
        });
    }
}

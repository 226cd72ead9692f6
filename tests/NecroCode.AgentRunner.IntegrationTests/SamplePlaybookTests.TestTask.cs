using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>
/// samples/playbooks/test-task.yaml: the agent writes tests (unless the task is verify-only), coverage is measured,
/// only the agent's work is committed and pushed (not for a dry run), and a failure leaves notes in the run log.
/// </summary>
public sealed partial class SamplePlaybookTests
{
    [Test]
    public async Task TestTask_CSharpTask_MeasuresCoverageAndPushesOneCommit()
    {
        using var sandbox = await Sandbox.CreateAsync(files: SampleProjects.DotnetService());
        using var tools = StandInTools.Install(sandbox.Probe);
        var task = Task("test-task.yaml", new Dictionary<string, string> { ["language"] = "csharp" }, "dotnet test");

        var result = await RunAsync(sandbox, SampleProjects.DotnetAgent, task);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var (commits, files) = await PushedAsync(sandbox);
        Assert.Multiple(() =>
        {
            Assert.That(result.Playbook, Is.EqualTo("test-task"));
            Assert.That(Steps(result), Is.EqualTo(new[]
            {
                "register:succeeded", "acquire-slot:succeeded", "prepare-workspace:succeeded", "implement:succeeded", "test:succeeded",
                "coverage:succeeded", "commit:succeeded", "push:succeeded", "failure-notes:skipped",
                "upload-artifacts:succeeded", "report:succeeded", "release-slot:succeeded",
            }));
            // The first "dotnet test" is the baseline on the unchanged base (no command step runs before the test step).
            Assert.That(tools.Calls, Is.EqualTo(new[] { "dotnet test", "dotnet test", "dotnet test --no-build --collect:XPlat Code Coverage" }));
            Assert.That(RunLog(result), Does.Contain("coverage.cobertura.xml"));
            Assert.That(commits, Has.Length.EqualTo(1));
            Assert.That(files, Is.EquivalentTo(new[] { "src/Farewell.cs", "tests/farewell.sh" }), "build output and the coverage report stay out of the commit");
        });
    }

    [Test]
    public async Task TestTask_DryRun_CommitsButDoesNotPush()
    {
        using var sandbox = await Sandbox.CreateAsync(files: SampleProjects.DotnetService());
        using var tools = StandInTools.Install(sandbox.Probe);
        var task = Task("test-task.yaml", new Dictionary<string, string> { ["language"] = "csharp", ["dry-run"] = "true" }, "dotnet test");

        var result = await RunAsync(sandbox, SampleProjects.DotnetAgent, task);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var branches = await OriginBranchesAsync(sandbox);
        Assert.Multiple(() =>
        {
            Assert.That(Steps(result), Does.Contain("commit:succeeded").And.Contain("push:skipped"));
            Assert.That(result.CommitId, Is.Not.Null);
            Assert.That(result.Push, Is.Null);
            Assert.That(branches, Is.Empty, "a dry run pushes nothing");
        });
    }

    [Test]
    public async Task TestTask_VerifyOnlyOnAnNpmProject_RunsTheTestsWithCoverageWithoutAgentOrCommit()
    {
        using var sandbox = await Sandbox.CreateAsync(files: SampleProjects.NpmFrontEnd());
        using var tools = StandInTools.Install(sandbox.Probe);
        var marker = Path.Combine(sandbox.Probe, "agent-ran");
        var task = Task("test-task.yaml", new Dictionary<string, string> { ["kind"] = "verify-only" }, "npm test");

        var result = await RunAsync(sandbox, $"touch '{marker}'\n" + SampleProjects.NpmAgent, task);

        var branches = await OriginBranchesAsync(sandbox);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(Steps(result), Is.EqualTo(new[]
            {
                "register:succeeded", "acquire-slot:succeeded", "prepare-workspace:succeeded", "implement:skipped", "test:succeeded",
                "coverage:skipped", "coverage-npm:succeeded", "commit:skipped", "push:skipped", "failure-notes:skipped",
                "upload-artifacts:succeeded", "report:succeeded", "release-slot:succeeded",
            }));
            Assert.That(tools.Calls, Is.EqualTo(new[] { "npm test", "npm test -- --coverage" }));
            Assert.That(File.Exists(marker), Is.False, "the agent does not run");
            Assert.That(result.CommitId, Is.Null);
            Assert.That(branches, Is.Empty);
        });
    }

    [Test]
    public async Task TestTask_VerifyOnlyWithAFailingTest_FailsAndLeavesTheWorkspaceNotesInTheRunLog()
    {
        var files = SampleProjects.NpmFrontEnd();
        files["tests/greeting.sh"] = "#!/bin/sh\necho 'expected Hello, Kiro!' >&2\nexit 1\n";
        using var sandbox = await Sandbox.CreateAsync(files: files);
        using var tools = StandInTools.Install(sandbox.Probe);
        var task = Task("test-task.yaml", new Dictionary<string, string> { ["kind"] = "verify-only" }, "npm test");

        var result = await RunAsync(sandbox, SampleProjects.NpmAgent, task);

        var branches = await OriginBranchesAsync(sandbox);
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TestsFailed), result.Error?.Message);
            Assert.That(Steps(result), Is.EqualTo(new[]
            {
                "register:succeeded", "acquire-slot:succeeded", "prepare-workspace:succeeded", "implement:skipped", "test:failed",
                "coverage:skipped", "commit:skipped", "push:skipped", "failure-notes:succeeded",
                "upload-artifacts:succeeded", "report:succeeded", "release-slot:succeeded",
            }));
            Assert.That(tools.Calls, Is.EqualTo(new[] { "npm test" }));
            Assert.That(RunLog(result), Does.Contain("Initial commit"), "git log of the workspace is in the run log");
            Assert.That(branches, Is.Empty);
        });
    }
}

using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>samples/playbooks/backend-task.yaml: restore before the agent, build and a format check after it, no push for a dry run.</summary>
public sealed partial class SamplePlaybookTests
{
    [Test]
    public async Task BackendTask_CSharpTask_RestoresBuildsReportsFormatAndPushesOneCommit()
    {
        using var sandbox = await Sandbox.CreateAsync(files: SampleProjects.DotnetService());
        using var tools = StandInTools.Install(sandbox.Probe);
        var task = Task("backend-task.yaml", new Dictionary<string, string> { ["language"] = "csharp" }, "sh test.sh");

        var result = await RunAsync(sandbox, SampleProjects.DotnetAgent, task);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var (commits, files) = await PushedAsync(sandbox);
        Assert.Multiple(() =>
        {
            Assert.That(result.Playbook, Is.EqualTo("backend-task"));
            Assert.That(Steps(result), Is.EqualTo(new[]
            {
                "register:succeeded", "acquire-slot:succeeded", "prepare-workspace:succeeded", "restore:succeeded", "implement:succeeded",
                "build:succeeded", "format:failed", "test:succeeded", "commit:succeeded", "push:succeeded",
                "upload-artifacts:succeeded", "report:succeeded", "release-slot:succeeded",
            }));
            Assert.That(tools.Calls, Is.EqualTo(new[] { "dotnet restore", "dotnet build --no-restore --configuration Release", "dotnet format --verify-no-changes" }));
            Assert.That(RunLog(result), Does.Contain("src/Farewell.cs: error WHITESPACE"), "the format problem is reported");
            Assert.That(commits, Has.Length.EqualTo(1));
            Assert.That(commits[0], Is.EqualTo(result.CommitId));
            Assert.That(files, Is.EquivalentTo(new[] { "src/Farewell.cs", "tests/farewell.sh" }), "restore and build outputs stay out of the commit");
        });
    }

    [Test]
    public async Task BackendTask_DryRunOnAMakeProject_BuildsWithMakeCommitsAndDoesNotPush()
    {
        using var sandbox = await Sandbox.CreateAsync(files: SampleProjects.GoService());
        using var tools = StandInTools.Install(sandbox.Probe);
        var task = Task("backend-task.yaml", new Dictionary<string, string> { ["language"] = "go", ["dry-run"] = "true" }, "sh test.sh");

        var result = await RunAsync(sandbox, SampleProjects.GoAgent, task);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var branches = await OriginBranchesAsync(sandbox);
        var local = await Shell.GitAsync(sandbox.Slot(), "rev-list", $"origin/main..{Branch}");
        Assert.Multiple(() =>
        {
            Assert.That(Steps(result), Is.EqualTo(new[]
            {
                "register:succeeded", "acquire-slot:succeeded", "prepare-workspace:succeeded", "restore:skipped", "implement:succeeded",
                "build:skipped", "build-make:succeeded", "format:skipped", "test:succeeded", "commit:succeeded", "push:skipped",
                "upload-artifacts:succeeded", "report:succeeded", "release-slot:succeeded",
            }));
            Assert.That(tools.Calls, Is.EqualTo(new[] { "make build" }));
            Assert.That(File.Exists(Path.Combine(sandbox.Slot(), "build", "greeter.txt")), Is.True, "the Makefile's recipe ran in the workspace");
            Assert.That(result.Push, Is.Null);
            Assert.That(branches, Is.Empty, "a dry run pushes nothing");
            Assert.That(local, Is.EqualTo(result.CommitId), "the commit stays in the slot");
        });
    }

    [Test]
    public async Task BackendTask_GlobalJsonWithoutLanguage_RestoresOnlyAndPushes()
    {
        using var sandbox = await Sandbox.CreateAsync(files: SampleProjects.DotnetService());
        using var tools = StandInTools.Install(sandbox.Probe);
        var task = Task("backend-task.yaml", new Dictionary<string, string>(), "sh test.sh");

        var result = await RunAsync(sandbox, SampleProjects.DotnetAgent, task);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var (commits, _) = await PushedAsync(sandbox);
        Assert.Multiple(() =>
        {
            Assert.That(Steps(result), Is.EqualTo(new[]
            {
                "register:succeeded", "acquire-slot:succeeded", "prepare-workspace:succeeded", "restore:succeeded", "implement:succeeded",
                "build:skipped", "build-make:skipped", "format:skipped", "test:succeeded", "commit:succeeded", "push:succeeded",
                "upload-artifacts:succeeded", "report:succeeded", "release-slot:succeeded",
            }));
            Assert.That(tools.Calls, Is.EqualTo(new[] { "dotnet restore" }));
            Assert.That(commits, Has.Length.EqualTo(1));
        });
    }
}

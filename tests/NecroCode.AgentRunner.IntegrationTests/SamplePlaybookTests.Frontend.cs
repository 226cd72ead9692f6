using NecroCode.AgentRunner.IntegrationTests.Infrastructure;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>samples/playbooks/frontend-task.yaml: npm ci, build and a lint that cannot fail the task, only when there is a package.json.</summary>
public sealed partial class SamplePlaybookTests
{
    [TestCase(null, "lint:failed")]
    [TestCase("off", "lint:skipped")]
    public async Task FrontendTask_NpmProject_InstallsBuildsLintsAndPushesOneCommit(string? lint, string lintStep)
    {
        using var sandbox = await Sandbox.CreateAsync(files: SampleProjects.NpmFrontEnd());
        using var tools = StandInTools.Install(sandbox.Probe);
        var metadata = lint is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["lint"] = lint };
        var task = Task("frontend-task.yaml", metadata, "npm test");

        var result = await RunAsync(sandbox, SampleProjects.NpmAgent, task);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var (commits, files) = await PushedAsync(sandbox);
        string[] expectedCalls = lint is null
            ? ["npm ci --no-audit --no-fund", "npm run build --if-present", "npm run lint --if-present", "npm test"]
            : ["npm ci --no-audit --no-fund", "npm run build --if-present", "npm test"];
        Assert.Multiple(() =>
        {
            Assert.That(Steps(result), Is.EqualTo(new[]
            {
                "register:succeeded", "acquire-slot:succeeded", "prepare-workspace:succeeded", "implement:succeeded",
                "install:succeeded", "build:succeeded", lintStep, "test:succeeded", "commit:succeeded", "push:succeeded",
                "upload-artifacts:succeeded", "report:succeeded", "release-slot:succeeded",
            }));
            Assert.That(tools.Calls, Is.EqualTo(expectedCalls));
            Assert.That(File.ReadAllText(Path.Combine(sandbox.Slot(), "dist", "bundle.js")), Does.Contain("Goodbye"), "the build ran after the agent's change");
            Assert.That(commits, Has.Length.EqualTo(1));
            Assert.That(files, Is.EquivalentTo(new[] { "src/farewell.js", "tests/farewell.sh" }), "node_modules and dist stay out of the commit");
        });
        if (lint is null)
        {
            Assert.That(RunLog(result), Does.Contain("console.log is not allowed"), "the lint problem is reported");
        }
    }

    [Test]
    public async Task FrontendTask_NoPackageJson_RunsAsTheDefaultPipeline()
    {
        using var sandbox = await Sandbox.CreateAsync();
        using var tools = StandInTools.Install(sandbox.Probe);
        var task = Task("frontend-task.yaml", new Dictionary<string, string>(), "sh test.sh");

        var result = await RunAsync(sandbox, StandInAgents.ImplementsSubtraction, task);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
        var (commits, _) = await PushedAsync(sandbox);
        Assert.Multiple(() =>
        {
            Assert.That(Steps(result), Is.EqualTo(new[]
            {
                "register:succeeded", "acquire-slot:succeeded", "prepare-workspace:succeeded", "implement:succeeded",
                "install:skipped", "build:skipped", "lint:skipped", "test:succeeded", "commit:succeeded", "push:succeeded",
                "upload-artifacts:succeeded", "report:succeeded", "release-slot:succeeded",
            }));
            Assert.That(tools.Calls, Is.Empty);
            Assert.That(commits, Has.Length.EqualTo(1));
        });
    }
}

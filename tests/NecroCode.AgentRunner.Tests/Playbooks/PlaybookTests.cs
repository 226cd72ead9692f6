using NecroCode.AgentRunner.Orchestration;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Tests.Orchestration;

namespace NecroCode.AgentRunner.Tests.Playbooks;

[TestFixture]
public sealed class PlaybookTests
{
    [Test]
    public void Default_IsTheBuiltInPipeline()
    {
        Assert.That(Playbook.Default.Steps.Select(s => s.Name), Is.EqualTo(RunnerOrchestrator.StepNames));
    }

    [Test]
    public async Task Default_StartsTheSameStepsAsABuiltInRun()
    {
        using var harness = new OrchestratorHarness();
        var run = await harness.Create().StartAsync(OrchestratorHarness.Task(), CancellationToken.None);
        var started = new List<string>();

        await foreach (var e in run.Events)
        {
            if (e is StepStarted s)
            {
                started.Add(s.Step);
            }
        }

        await run.Completion;
        Assert.That(started, Is.EqualTo(Playbook.Default.Steps.Select(s => s.Name)));
    }

    [Test]
    public void Default_StepsUseTheirBuiltInAndOnlyTheLastThreeRunAlways()
    {
        var steps = Playbook.Default.Steps;

        Assert.Multiple(() =>
        {
            Assert.That(steps.Select(s => s.Name), Is.EqualTo(new[] { "register", "acquire-slot", "prepare-workspace", "implement", "test", "commit", "push", "upload-artifacts", "report", "release-slot" }));
            Assert.That(steps.All(s => s.Uses == s.Name && s.Run is null && s.If is null && s.Else.Count == 0 && !s.ContinueOnError && s.Timeout is null && s.Retry.Count == 0), Is.True);
            Assert.That(steps.Where(s => s.Always).Select(s => s.Name), Is.EqualTo(new[] { "upload-artifacts", "report", "release-slot" }));
            Assert.That(Playbook.Default.Name, Is.EqualTo("default"));
            Assert.That(Playbook.Default.SourcePath, Is.Null);
        });
    }

    [Test]
    public void Default_EqualsAPlaybookThatSpellsOutThePipeline()
    {
        var yaml = "steps:\n" + string.Concat(PlaybookBuiltInSteps.All.Select(n => $"  - uses: {n}\n"));

        var playbook = PlaybookLoader.Parse(yaml, "spelled.yaml");

        Assert.That(playbook.Steps, Is.EqualTo(Playbook.Default.Steps).Using<PlaybookStep>((a, b) => a.Name == b.Name && a.Uses == b.Uses && a.Always == b.Always));
    }

    [Test]
    public void AllSteps_IncludesElseStepsDepthFirst()
    {
        var yaml = "variables:\n  a: '1'\nsteps:\n  - name: one\n    run: x\n    if: vars.a == 1\n    else:\n      - name: two\n        run: y\n        if: vars.a == 2\n        else:\n          - name: three\n            run: z\n  - name: four\n    run: w\n";

        var playbook = PlaybookLoader.Parse(yaml, "nested.yaml");

        Assert.That(playbook.AllSteps().Select(s => s.Name), Is.EqualTo(new[] { "one", "two", "three", "four" }));
    }

    [Test]
    public void Schema_ListsExactlyTheFieldsTheLoaderKnows()
    {
        using var schema = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(SourceTree.Root, "docs", "playbook.schema.json")));
        var root = schema.RootElement;
        var step = root.GetProperty("$defs").GetProperty("step");

        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("properties").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(PlaybookReader.RootKeys));
            Assert.That(step.GetProperty("properties").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(PlaybookReader.StepKeys));
            Assert.That(root.GetProperty("$defs").GetProperty("builtInStep").GetProperty("enum").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(PlaybookBuiltInSteps.All));
        });
    }
}

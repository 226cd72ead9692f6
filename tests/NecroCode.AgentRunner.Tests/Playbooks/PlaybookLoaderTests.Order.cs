using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Tests.Playbooks;

/// <summary>The step-order rules a run's playbook must follow (checked by ResolveAsync, the runner's entry).</summary>
public sealed partial class PlaybookLoaderTests
{
    private static Task<Playbook> ResolveFileAsync(TempFolder files, string yaml) =>
        PlaybookLoader.ResolveAsync(new TaskContext { PlaybookPath = files.WriteFile("run.yaml", yaml) }, null, CancellationToken.None);

    [Test]
    public void ResolveAsync_ReplacePlaybookWithoutAcquireSlot_NamesTheStepThatNeedsIt()
    {
        using var files = new TempFolder();

        var ex = Assert.ThrowsAsync<PlaybookException>(() => ResolveFileAsync(files, "steps:\n  - uses: register\n  - uses: prepare-workspace\n  - uses: release-slot\n"));

        Assert.That(ex!.Errors.Single(), Is.EqualTo(new PlaybookError(Path.Combine(files.Path, "run.yaml"), 3, 5,
            "step 'prepare-workspace' runs the built-in prepare-workspace step, which needs a step with 'uses: acquire-slot' before it.")));
    }

    [Test]
    public void ResolveAsync_CommandStepBeforeRegister_Refused()
    {
        using var files = new TempFolder();

        var ex = Assert.ThrowsAsync<PlaybookException>(() => ResolveFileAsync(files, "steps:\n  - name: hello\n    run: echo hi\n  - uses: register\n"));

        Assert.That(ex!.Errors.Single().Message, Does.Contain("'hello' runs a command in the workspace").And.Contain("uses: prepare-workspace"));
    }

    [TestCase("if: task.title != ''", "cannot have an 'if'")]
    [TestCase("continue-on-error: true", "cannot continue on error")]
    [TestCase("fail-fast: false", "cannot continue on error")]
    public void ResolveAsync_ExtendingPlaybookLoosensTheTestStep_Refused(string field, string message)
    {
        using var files = new TempFolder();

        var ex = Assert.ThrowsAsync<PlaybookException>(() => ResolveFileAsync(files, $"extends: default\nsteps:\n  - uses: test\n    {field}\n"));

        Assert.That(ex!.Errors.Single().Message, Does.Contain(message));
    }

    [Test]
    public void ResolveAsync_TestStepAsAnElseStep_Refused()
    {
        using var files = new TempFolder();
        const string yaml = """
            steps:
              - uses: register
              - uses: acquire-slot
              - uses: prepare-workspace
              - name: quick
                run: 'true'
                if: task.title == 'x'
                else:
                  - uses: test
              - uses: commit
            """;

        var ex = Assert.ThrowsAsync<PlaybookException>(() => ResolveFileAsync(files, yaml));

        Assert.That(ex!.Errors.Select(e => e.Message), Is.EqualTo(new[]
        {
            "step 'test' runs the built-in test step, which cannot be an else step; place it in the top-level steps.",
            "step 'commit' runs the built-in commit step, which needs a step with 'uses: test' before it.",
        }));
    }

    [Test]
    public void ResolveAsync_PushWithoutCommit_Refused()
    {
        using var files = new TempFolder();

        var ex = Assert.ThrowsAsync<PlaybookException>(() => ResolveFileAsync(files, "steps:\n  - uses: register\n  - uses: acquire-slot\n  - uses: prepare-workspace\n  - uses: test\n  - uses: push\n"));

        Assert.That(ex!.Errors.Single().Message, Does.Contain("'push'").And.Contain("uses: commit"));
    }

    [TestCase("backend-task.yaml")]
    [TestCase("frontend-task.yaml")]
    [TestCase("test-task.yaml")]
    public async Task ResolveAsync_Sample_FollowsTheStepOrder(string name)
    {
        var path = Path.Combine(SourceTree.Root, "samples", "playbooks", name);

        var playbook = await PlaybookLoader.ResolveAsync(new TaskContext { PlaybookPath = path }, null, CancellationToken.None);

        Assert.That(playbook.SourcePath, Is.EqualTo(path));
    }

    [Test]
    public async Task LoadAsync_PartialPlaybook_IsNotOrderChecked()
    {
        using var files = new TempFolder();
        var path = files.WriteFile("part.yaml", "steps:\n  - name: lint\n    run: make lint\n  - uses: test\n");

        var playbook = await PlaybookLoader.LoadAsync(path, CancellationToken.None);

        Assert.That(playbook.Steps.Select(s => s.Name), Is.EqualTo(new[] { "lint", "test" }));
    }
}

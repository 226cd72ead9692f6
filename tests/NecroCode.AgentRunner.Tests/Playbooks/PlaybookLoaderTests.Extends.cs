using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Tests.Playbooks;

public sealed partial class PlaybookLoaderTests
{
    [Test]
    public void Parse_ExtendsWithoutSteps_IsTheDefault()
    {
        var playbook = PlaybookLoader.Parse("extends: default\n", "x.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(playbook.Extends, Is.EqualTo("default"));
            Assert.That(playbook.Steps, Is.EqualTo(Playbook.Default.Steps));
        });
    }

    [Test]
    public void Parse_ExtendsWithAnchors_InsertsInDocumentOrder()
    {
        const string yaml = """
            extends: default
            steps:
              - name: restore
                run: dotnet restore
                before: implement
              - name: build
                run: dotnet build
                after: implement
              - name: lint
                run: dotnet format --verify-no-changes
                after: implement
              - name: smoke
                run: ./smoke.sh
                before: commit
              - name: announce
                run: echo done
                after: release-slot
                always: true
            """;

        var playbook = PlaybookLoader.Parse(yaml, "x.yaml");

        Assert.That(playbook.Steps.Select(s => s.Name), Is.EqualTo(new[]
        {
            "register", "acquire-slot", "prepare-workspace", "restore", "implement", "build", "lint", "test", "smoke", "commit", "push",
            "upload-artifacts", "report", "release-slot", "announce",
        }));
        Assert.That(playbook.Steps.Single(s => s.Name == "build").After, Is.EqualTo("implement"));
    }

    [Test]
    public void Parse_ExtendsWithUnanchoredBuiltIn_ReplacesTheDefaultStep()
    {
        const string yaml = """
            extends: default
            variables:
              dry-run: "false"
            steps:
              - uses: push
                if: vars.dry-run != 'true'
              - uses: report
                timeout: 30s
            """;

        var playbook = PlaybookLoader.Parse(yaml, "x.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(playbook.Steps.Select(s => s.Name), Is.EqualTo(PlaybookBuiltInSteps.All));
            Assert.That(playbook.Steps.Single(s => s.Name == "push").If!.Text, Is.EqualTo("vars.dry-run != 'true'"));
            Assert.That(playbook.Steps.Single(s => s.Name == "report").Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(playbook.Steps.Single(s => s.Name == "report").Always, Is.True);
        });
    }

    [Test]
    public void Parse_ExtendsWithIncludedAnchoredSteps_InsertsThem()
    {
        using var files = new TempFolder();
        files.WriteFile("lint.yaml", "steps:\n  - name: lint\n    run: make lint\n    before: test\n");

        var playbook = PlaybookLoader.Parse("extends: default\nsteps:\n  - include: lint.yaml\n", "x.yaml", files.Path);

        Assert.That(playbook.Steps.Select(s => s.Name).SkipWhile(n => n != "implement").Take(3), Is.EqualTo(new[] { "implement", "lint", "test" }));
    }

    [TestCase("extends: default\nsteps:\n  - name: x\n    run: a\n    before: deploy\n", 3, 5, "step 'x' is placed before 'deploy', which is not a step of the default playbook")]
    [TestCase("extends: default\nsteps:\n  - name: x\n    run: a\n    after: test\n  - name: y\n    run: b\n    after: x\n", 6, 5, "step 'y' is placed after 'x', which is not a step of the default playbook")]
    [TestCase("extends: default\nsteps:\n  - name: x\n    run: a\n", 3, 5, "step 'x' needs 'before' or 'after'")]
    [TestCase("extends: default\nsteps:\n  - name: x\n    run: a\n    before: test\n    after: test\n", 3, 5, "a step has 'before' or 'after', not both.")]
    [TestCase("extends: default\nsteps:\n  - name: test\n    run: a\n    before: test\n", 3, 5, "duplicate step name 'test' (a step of the default playbook has that name).")]
    [TestCase("extends: default\nsteps:\n  - uses: push\n  - uses: push\n", 4, 5, "duplicate step name 'push': the default step is replaced twice.")]
    [TestCase("extends: default\nsteps:\n  - name: x\n    run: a\n    before: test\n    if: vars.a == 'b'\n    else:\n      - name: y\n        run: b\n        after: test\n", 10, 16, "'before'/'after' are not allowed on else steps.")]
    public void Parse_BadExtension_IsReported(string yaml, int line, int column, string message)
    {
        var ex = Assert.Throws<PlaybookException>(() => PlaybookLoader.Parse(yaml, "ext.yaml"));

        Assert.That(ex!.Errors, Has.Some.Matches<PlaybookError>(e => e.Line == line && e.Column == column && e.Message.Contains(message, StringComparison.Ordinal)), ex.Message);
    }
}

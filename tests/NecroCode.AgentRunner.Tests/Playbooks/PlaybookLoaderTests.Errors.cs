using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Tests.Playbooks;

public sealed partial class PlaybookLoaderTests
{
    [TestCase("steps: [\n", 2, 1, "not valid YAML")]
    [TestCase("steps:\n  - name: a\n   run: x\n", 3, 4, "not valid YAML")]
    [TestCase("", 0, 0, "the playbook is empty.")]
    [TestCase("- uses: test\n", 1, 1, "a playbook is a mapping")]
    [TestCase("name: x\n", 1, 1, "the playbook has no 'steps'")]
    [TestCase("steps: []\n", 1, 8, "the playbook has no steps.")]
    [TestCase("steps: oops\n", 1, 8, "steps is a list of steps.")]
    [TestCase("colour: red\nsteps:\n  - uses: test\n", 1, 1, "unknown field 'colour' in the playbook; known: name, description, extends, variables, budgets, steps.")]
    [TestCase("steps:\n  - uses: test\n    colour: red\n", 3, 5, "unknown field 'colour' in a step")]
    [TestCase("steps:\n  - uses: test\n  - uses: test\n", 3, 5, "duplicate step name 'test'.")]
    [TestCase("steps:\n  - uses: test\n  - name: x\n    run: a\n    if: vars.a == 1\n    else:\n      - name: test\n        run: b\n", 7, 9, "duplicate step name 'test'.")]
    [TestCase("steps:\n  - uses: deploy\n", 2, 11, "unknown built-in step 'deploy'; known: register, acquire-slot, prepare-workspace, implement, test, commit, push, upload-artifacts, report, release-slot.")]
    [TestCase("steps:\n  - name: x\n    uses: test\n    run: make\n", 2, 5, "a step has either 'uses' or 'run', not both.")]
    [TestCase("steps:\n  - name: x\n", 2, 5, "step 'x' needs 'uses' (a built-in step) or 'run' (a command).")]
    [TestCase("steps:\n  - run: make\n", 2, 5, "a command step needs a 'name'.")]
    [TestCase("steps:\n  - name: 'has space'\n    run: make\n", 2, 11, "'has space' is not a valid step name")]
    [TestCase("steps:\n  - name: x\n    run: '  '\n", 3, 10, "'run' is empty.")]
    [TestCase("steps:\n  - uses: test\n    if: task.title = 'x'\n", 3, 9, "condition 'task.title = 'x'' does not parse: unexpected '=' at column 12; comparisons use '==' (offending token '=').")]
    [TestCase("steps:\n  - uses: test\n    if: \"vars.nope == 'x'\"\n", 3, 9, "reads vars.nope (column 6), which is not declared under 'variables'.")]
    [TestCase("steps:\n  - uses: test\n    if: steps.build.outcome == 'failed'\n", 3, 9, "reads steps.build.outcome (column 7), but the playbook has no step 'build'.")]
    [TestCase("steps:\n  - uses: test\n    else:\n      - uses: push\n", 3, 5, "'else' needs an 'if'.")]
    [TestCase("steps:\n  - uses: test\n    timeout: soon\n", 3, 14, "timeout 'soon' is not a duration")]
    [TestCase("steps:\n  - uses: test\n    timeout: 30\n", 3, 14, "timeout '30' is not a duration")]
    [TestCase("steps:\n  - uses: test\n    timeout: 0s\n", 3, 14, "timeout '0s' is out of range")]
    [TestCase("steps:\n  - uses: test\n    timeout: 25h\n", 3, 14, "timeout '25h' is out of range")]
    [TestCase("steps:\n  - name: x\n    run: make\n    retry: 11\n", 4, 12, "retry count '11' is out of range: give a whole number from 0 to 10.")]
    [TestCase("steps:\n  - name: x\n    run: make\n    retry: -1\n", 4, 12, "retry count '-1' is out of range")]
    [TestCase("steps:\n  - name: x\n    run: make\n    retry:\n      backoff: 1s\n", 5, 7, "retry needs a 'count'.")]
    [TestCase("steps:\n  - name: x\n    run: make\n    retry:\n      count: 1\n      backoff: 11m\n", 6, 16, "retry backoff '11m' is out of range")]
    [TestCase("steps:\n  - name: x\n    run: make\n    retry:\n      count: 1\n      jitter: true\n", 6, 7, "unknown field 'jitter' in retry")]
    [TestCase("steps:\n  - uses: push\n    retry: 2\n", 3, 12, "'retry' applies to command ('run') steps only")]
    [TestCase("steps:\n  - name: x\n    run: make\n    working-directory: ../other\n", 4, 24, "working-directory must stay inside the workspace: '../other' leads outside the workspace.")]
    [TestCase("steps:\n  - name: x\n    run: make\n    working-directory: /etc\n", 4, 24, "'/etc' is not relative to the workspace.")]
    [TestCase("steps:\n  - name: x\n    run: make\n    working-directory: a/../../b\n", 4, 24, "leads outside the workspace")]
    [TestCase("steps:\n  - name: x\n    run: make\n    env:\n      1BAD: x\n", 5, 7, "'1BAD' is not a valid environment variable name")]
    [TestCase("steps:\n  - name: x\n    run: make\n    env: [a]\n", 4, 10, "env is a mapping of variable names to values.")]
    [TestCase("steps:\n  - name: x\n    run: make\n    always: sometimes\n", 4, 13, "'always' must be true or false, not 'sometimes'.")]
    [TestCase("steps:\n  - name: x\n    run: make\n    continue-on-error: true\n    fail-fast: true\n", 5, 16, "give 'continue-on-error' or 'fail-fast' (its inverse), not both.")]
    [TestCase("steps:\n  - name: x\n    run: [make]\n", 3, 10, "'run' must be a single value")]
    [TestCase("variables:\n  9lives: x\nsteps:\n  - uses: test\n", 2, 3, "'9lives' is not a valid variable name")]
    [TestCase("variables:\n  a: [1]\nsteps:\n  - uses: test\n", 2, 6, "variable 'a' must be a single value")]
    [TestCase("variables: [a]\nsteps:\n  - uses: test\n", 1, 12, "variables is a mapping of names to values.")]
    [TestCase("steps:\n  - uses: test\n    before: implement\n", 3, 13, "'before'/'after' place a step in the default playbook; they need 'extends: default'.")]
    [TestCase("extends: custom\n", 1, 10, "extends must be 'default'")]
    [TestCase("steps:\n  - &a {uses: test}\n", 2, 5, "YAML anchors (&name) are not supported")]
    [TestCase("steps:\n  - uses: test\n---\nsteps: []\n", 3, 1, "a playbook is one YAML document")]
    [TestCase("steps:\n  - uses: test\n    uses: push\n", 3, 5, "the key 'uses' appears twice in the same mapping.")]
    [TestCase("steps:\n  - ? [a]\n    : b\n", 2, 7, "mapping keys must be plain names.")]
    [TestCase("steps:\n  - uses: !custom test\n", 2, 11, "the YAML tag '!custom' is not supported")]
    [TestCase("steps:\n  - include: /etc/passwd\n", 2, 14, "include '/etc/passwd' must be a path relative to the including file.")]
    [TestCase("steps:\n  - include: a.yaml\n    name: x\n", 3, 5, "unknown field 'name' in an include; known: include.")]
    public void Parse_BadInput_ReportsFileLineColumnAndMessage(string yaml, int line, int column, string message)
    {
        var ex = Assert.Throws<PlaybookException>(() => PlaybookLoader.Parse(yaml, "bad.yaml"));

        Assert.That(ex!.Errors, Has.Some.Matches<PlaybookError>(e => e.File == "bad.yaml" && e.Line == line && e.Column == column && e.Message.Contains(message, StringComparison.Ordinal)), ex.Message);
    }

    [Test]
    public void Parse_ManyProblems_AreAllListedAtOnce()
    {
        const string yaml = """
            name: many
            colour: red
            steps:
              - uses: deploy
              - name: build
                run: make
                timeout: forever
              - name: build
                run: make again
                if: task.title === 'x'
                retry: 99
                working-directory: ../..
            """;

        var ex = Assert.Throws<PlaybookException>(() => PlaybookLoader.Parse(yaml, "many.yaml"));

        Assert.That(ex!.Errors.Select(e => (e.Line, e.Column)), Is.EquivalentTo(new[] { (2, 1), (4, 11), (7, 14), (8, 5), (10, 9), (11, 12), (12, 24) }));
        Assert.That(ex.Message, Does.StartWith("The playbook is invalid (7 problems):"));
        Assert.That(ex.Message, Does.Contain("many.yaml(4,11): unknown built-in step 'deploy'"));
        Assert.That(ex.Message, Does.Contain("many.yaml(10,9): condition 'task.title === 'x'' does not parse: unexpected '=' at column 14; comparisons use '==' (offending token '=')."));
    }

    [Test]
    public void Parse_MissingInclude_NamesTheIncludeLine()
    {
        using var files = new TempFolder();

        var ex = Assert.Throws<PlaybookException>(() => PlaybookLoader.Parse("steps:\n  - include: nope.yaml\n", "root.yaml", files.Path));

        Assert.That(ex!.Errors.Single().ToString(), Does.StartWith("root.yaml(2,14): included file 'nope.yaml' cannot be read:"));
    }

    [Test]
    public void Parse_IncludedFileErrors_NameTheIncludedFile()
    {
        using var files = new TempFolder();
        var part = files.WriteFile("part.yaml", "extends: default\nsteps:\n  - uses: nothing\n");

        var ex = Assert.Throws<PlaybookException>(() => PlaybookLoader.Parse("steps:\n  - include: part.yaml\n", "root.yaml", files.Path));

        Assert.That(ex!.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            part + "(1,10): an included playbook cannot use 'extends'; only the playbook the run starts from can.",
            part + "(3,11): unknown built-in step 'nothing'; known: register, acquire-slot, prepare-workspace, implement, test, commit, push, upload-artifacts, report, release-slot.",
        }));
    }

    [Test]
    public void Parse_TooDeepYaml_IsRefused()
    {
        var yaml = "steps: " + new string('[', 10_000);

        var ex = Assert.Throws<PlaybookException>(() => PlaybookLoader.Parse(yaml, "deep.yaml"));

        Assert.That(ex!.Errors.Single().Message, Does.Contain("nests deeper than 32 levels"));
    }

    [Test]
    public void Parse_TooLarge_IsRefused()
    {
        var yaml = "description: " + new string('x', 1024 * 1024) + "\nsteps:\n  - uses: test\n";

        var ex = Assert.Throws<PlaybookException>(() => PlaybookLoader.Parse(yaml, "big.yaml"));

        Assert.That(ex!.Errors.Single().Message, Does.Contain("at most 1048576 are allowed"));
    }
}

using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Tests.Playbooks;

[TestFixture]
public sealed partial class PlaybookLoaderTests
{
    private const string Full = """
        name: full
        description: Every field of a step.
        variables:
          mode: Release
          empty:
        steps:
          - uses: register
          - name: build
            run: dotnet build -c Release
            if: task.metadata.language == 'csharp'
            else:
              - name: build-other
                run: make
            continue-on-error: true
            timeout: 1m30s
            retry:
              count: 3
              backoff: 250ms
            env:
              DOTNET_NOLOGO: "1"
              EMPTY:
            working-directory: src/app
            always: true
          - name: lint
            run: ./lint.sh
            fail-fast: false
            retry: 2
            timeout: "00:00:10"
          - uses: report
          - name: notify
            uses: push
            timeout: 5m
            always: false
        """;

    [Test]
    public void Parse_EveryField_IsRead()
    {
        var playbook = PlaybookLoader.Parse(Full, "full.yaml");
        var build = playbook.Steps[1];

        Assert.Multiple(() =>
        {
            Assert.That(playbook.Name, Is.EqualTo("full"));
            Assert.That(playbook.Description, Is.EqualTo("Every field of a step."));
            Assert.That(playbook.Variables, Is.EquivalentTo(new Dictionary<string, string> { ["mode"] = "Release", ["empty"] = "" }));
            Assert.That(playbook.Extends, Is.Null);
            Assert.That(playbook.SourcePath, Is.Null);
            Assert.That(playbook.Steps.Select(s => s.Name), Is.EqualTo(new[] { "register", "build", "lint", "report", "notify" }));
            Assert.That(build.Run, Is.EqualTo("dotnet build -c Release"));
            Assert.That(build.Uses, Is.Null);
            Assert.That(build.IsBuiltIn, Is.False);
            Assert.That(build.If!.Text, Is.EqualTo("task.metadata.language == 'csharp'"));
            Assert.That((build.If.File, build.If.Line, build.If.Column), Is.EqualTo(("full.yaml", 10, 9)));
            Assert.That(build.Else.Select(s => s.Run), Is.EqualTo(new[] { "make" }));
            Assert.That(build.ContinueOnError, Is.True);
            Assert.That(build.Timeout, Is.EqualTo(TimeSpan.FromSeconds(90)));
            Assert.That(build.Retry, Is.EqualTo(new PlaybookRetry(3, TimeSpan.FromMilliseconds(250))));
            Assert.That(build.Environment, Is.EquivalentTo(new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["EMPTY"] = "" }));
            Assert.That(build.WorkingDirectory, Is.EqualTo("src/app"));
            Assert.That(build.Always, Is.True);
            Assert.That(playbook.Steps[2].ContinueOnError, Is.True);
            Assert.That(playbook.Steps[2].Retry, Is.EqualTo(new PlaybookRetry(2, PlaybookRetry.DefaultBackoff)));
            Assert.That(playbook.Steps[2].Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(playbook.Steps[2].Always, Is.False);
        });
    }

    [Test]
    public void Parse_BuiltInSteps_TakeTheirNameAndAlwaysDefault()
    {
        var playbook = PlaybookLoader.Parse(Full, "full.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(playbook.Steps[0], Is.EqualTo(new PlaybookStep { Name = "register", Uses = "register" }).Using<PlaybookStep>(SameStep));
            Assert.That(playbook.Steps[3].Always, Is.True, "report runs always unless told otherwise");
            Assert.That(playbook.Steps[4].Always, Is.False);
            Assert.That(playbook.Steps[4].Uses, Is.EqualTo("push"));
            Assert.That(playbook.Steps[4].Timeout, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(playbook.Steps[0].IsBuiltIn, Is.True);
        });
    }

    [TestCase("500ms", 500)]
    [TestCase("30s", 30_000)]
    [TestCase("2m", 120_000)]
    [TestCase("1h", 3_600_000)]
    [TestCase("1h30m", 5_400_000)]
    [TestCase("1.5s", 1_500)]
    [TestCase("00:01:00", 60_000)]
    public void Parse_Timeout_AcceptsDurations(string text, int milliseconds)
    {
        var playbook = PlaybookLoader.Parse($"steps:\n  - name: a\n    run: 'true'\n    timeout: {text}\n", "t.yaml");

        Assert.That(playbook.Steps[0].Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Test]
    public void Parse_NoName_TakesTheSourceName()
    {
        var playbook = PlaybookLoader.Parse("steps:\n  - uses: test\n", "dir/quick-check.yaml");

        Assert.That(playbook.Name, Is.EqualTo("quick-check"));
    }

    [Test]
    public async Task LoadAsync_File_RecordsItsPath()
    {
        using var files = new TempFolder();
        var path = files.WriteFile("p.yaml", "name: p\nsteps:\n  - uses: test\n");

        var playbook = await PlaybookLoader.LoadAsync(path, CancellationToken.None);

        Assert.That(playbook.SourcePath, Is.EqualTo(path));
    }

    [Test]
    public void LoadAsync_MissingFile_ThrowsPlaybookException()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-playbook-" + Guid.NewGuid().ToString("N") + ".yaml");

        var ex = Assert.ThrowsAsync<PlaybookException>(() => PlaybookLoader.LoadAsync(path, CancellationToken.None));

        Assert.That(ex!.Errors.Single().ToString(), Does.StartWith(path + ": the playbook cannot be read"));
    }

    [Test]
    public async Task ResolveAsync_TaskPlaybook_WinsOverFallback()
    {
        using var files = new TempFolder();
        var mine = files.WriteFile("mine.yaml", "steps:\n  - uses: register\n");
        var runner = files.WriteFile("runner.yaml", "steps:\n  - uses: report\n");

        var fromTask = await PlaybookLoader.ResolveAsync(new TaskContext { PlaybookPath = mine }, runner, CancellationToken.None);
        var fromRunner = await PlaybookLoader.ResolveAsync(new TaskContext(), runner, CancellationToken.None);
        var fallback = await PlaybookLoader.ResolveAsync(new TaskContext(), null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(fromTask.Name, Is.EqualTo("mine"));
            Assert.That(fromRunner.Name, Is.EqualTo("runner"));
            Assert.That(fallback, Is.SameAs(Playbook.Default));
        });
    }

    [Test]
    public async Task LoadAsync_Include_SplicesStepsAndVariables()
    {
        using var files = new TempFolder();
        files.WriteFile("common/lint.yaml", "variables:\n  linter: eslint\n  mode: Debug\nsteps:\n  - name: lint\n    run: npx eslint .\n  - include: more.yaml\n");
        files.WriteFile("common/more.yaml", "steps:\n  - name: format\n    run: npx prettier --check .\n");
        var root = files.WriteFile("root.yaml", "variables:\n  mode: Release\nsteps:\n  - uses: implement\n  - include: common/lint.yaml\n  - uses: test\n    if: vars.linter == 'eslint'\n");

        var playbook = await PlaybookLoader.LoadAsync(root, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(playbook.Steps.Select(s => s.Name), Is.EqualTo(new[] { "implement", "lint", "format", "test" }));
            Assert.That(playbook.Variables["mode"], Is.EqualTo("Release"), "the including file wins");
            Assert.That(playbook.Variables["linter"], Is.EqualTo("eslint"));
        });
    }

    [Test]
    public void Parse_Include_IsRelativeToTheBaseDirectory()
    {
        using var files = new TempFolder();
        files.WriteFile("parts/build.yaml", "steps:\n  - name: build\n    run: make\n");

        var playbook = PlaybookLoader.Parse("steps:\n  - include: parts/build.yaml\n", "inline", files.Path);

        Assert.That(playbook.Steps.Single().Run, Is.EqualTo("make"));
    }

    [Test]
    public void LoadAsync_IncludeCycle_IsReportedWithTheChain()
    {
        using var files = new TempFolder();
        var a = files.WriteFile("a.yaml", "steps:\n  - uses: test\n  - include: b.yaml\n");
        var b = files.WriteFile("b.yaml", "steps:\n  - name: b\n    run: 'true'\n  - include: a.yaml\n");

        var ex = Assert.ThrowsAsync<PlaybookException>(() => PlaybookLoader.LoadAsync(a, CancellationToken.None));

        Assert.That(ex!.Errors.Single(), Is.EqualTo(new PlaybookError(b, 4, 14, "include cycle: a.yaml -> b.yaml -> a.yaml.")));
    }

    [Test]
    public void LoadAsync_SelfInclude_IsACycle()
    {
        using var files = new TempFolder();
        var a = files.WriteFile("a.yaml", "steps:\n  - include: ./a.yaml\n");

        var ex = Assert.ThrowsAsync<PlaybookException>(() => PlaybookLoader.LoadAsync(a, CancellationToken.None));

        Assert.That(ex!.Errors.Single().Message, Is.EqualTo("include cycle: a.yaml -> a.yaml."));
    }

    [Test]
    public void LoadAsync_SameFileIncludedTwiceWithoutCycle_IsADuplicateName()
    {
        using var files = new TempFolder();
        files.WriteFile("lint.yaml", "steps:\n  - name: lint\n    run: 'true'\n");
        var root = files.WriteFile("root.yaml", "steps:\n  - include: lint.yaml\n  - include: lint.yaml\n");

        var ex = Assert.ThrowsAsync<PlaybookException>(() => PlaybookLoader.LoadAsync(root, CancellationToken.None));

        Assert.That(ex!.Errors.Single().Message, Is.EqualTo("duplicate step name 'lint'."));
    }

    private static bool SameStep(PlaybookStep a, PlaybookStep b) =>
        a.Name == b.Name && a.Uses == b.Uses && a.Run == b.Run && a.If is null == b.If is null && a.Else.Count == b.Else.Count
        && a.ContinueOnError == b.ContinueOnError && a.Timeout == b.Timeout && a.Retry == b.Retry && a.Environment.Count == b.Environment.Count
        && a.WorkingDirectory == b.WorkingDirectory && a.Always == b.Always && a.Before == b.Before && a.After == b.After;
}

using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Tests.Orchestration;

namespace NecroCode.AgentRunner.Tests.Policies;

[TestFixture]
public sealed class ChangePolicyTests
{
    private string _workspace = "";

    [SetUp]
    public void SetUp() => _workspace = Directory.CreateTempSubdirectory("necrocode-policy-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_workspace, recursive: true);

    private static ChangePolicy Policy(Action<ChangePolicyOptions>? configure = null, ListMasker? masker = null)
    {
        var options = new ChangePolicyOptions();
        configure?.Invoke(options);
        return new ChangePolicy(Options.Create(options), masker ?? new ListMasker());
    }

    private static WorkspaceDiff Diff(string patch, params FileChange[] changes) => new(patch, changes);

    [Test]
    public void Check_SymlinkOutsideWorkspace_Refused()
    {
        File.CreateSymbolicLink(Path.Combine(_workspace, "passwd"), "/etc/passwd");

        var violations = Policy().Check(_workspace, Diff("", new FileChange("passwd", FileChangeKind.Added)));

        Assert.That(violations.Single().ToString(), Does.Contain("passwd").And.Contain("outside the workspace"));
    }

    [Test]
    public void Check_RelativeSymlinkEscaping_Refused()
    {
        Directory.CreateDirectory(Path.Combine(_workspace, "a"));
        File.CreateSymbolicLink(Path.Combine(_workspace, "a", "up"), "../../..");

        var violations = Policy().Check(_workspace, Diff("", new FileChange("a/up", FileChangeKind.Added)));

        Assert.That(violations, Has.Count.EqualTo(1));
    }

    [Test]
    public void Check_SymlinkInsideWorkspace_Allowed()
    {
        File.WriteAllText(Path.Combine(_workspace, "target.txt"), "x");
        File.CreateSymbolicLink(Path.Combine(_workspace, "link.txt"), "target.txt");

        var violations = Policy().Check(_workspace, Diff("", new FileChange("link.txt", FileChangeKind.Added), new FileChange("target.txt", FileChangeKind.Added)));

        Assert.That(violations, Is.Empty);
    }

    [TestCase("../outside.txt")]
    [TestCase("/etc/hosts")]
    [TestCase("a/../../b")]
    public void Check_EscapingPath_Refused(string path)
    {
        var violations = Policy().Check(_workspace, Diff("", new FileChange(path, FileChangeKind.Added)));

        Assert.That(violations.Single().Message, Does.Contain("outside the workspace"));
    }

    [Test]
    public void Check_OutsideAllowedPaths_ListsEveryOffendingPath()
    {
        var policy = Policy(o =>
        {
            o.AllowedPaths.Add("src/**");
            o.AllowedPaths.Add("tests/*.cs");
        });

        var violations = policy.Check(_workspace, Diff("",
            new FileChange("src/a/b/c.cs", FileChangeKind.Added),
            new FileChange("tests/x.cs", FileChangeKind.Modified),
            new FileChange("tests/deep/y.cs", FileChangeKind.Added),
            new FileChange(".github/workflows/ci.yml", FileChangeKind.Modified)));

        Assert.That(violations.Select(v => v.Path), Is.EqualTo(new[] { "tests/deep/y.cs", ".github/workflows/ci.yml" }));
    }

    [Test]
    public void Check_DiffTooLarge_Refused()
    {
        var violations = Policy(o => o.MaxDiffBytes = 10).Check(_workspace, Diff(new string('x', 11), new FileChange("a", FileChangeKind.Deleted)));

        Assert.That(violations.Single().Message, Does.Contain("11 bytes"));
    }

    [Test]
    public void Check_AddedSecret_RefusedNamingFileAndLineMasked()
    {
        var masker = new ListMasker();
        masker.AddSecret("hunter2-canary");
        const string patch = """
            diff --git a/config.txt b/config.txt
            --- a/config.txt
            +++ b/config.txt
            @@ -10,2 +10,3 @@
             keep = 1
            +token = hunter2-canary
             other = 2
            """;

        var violations = Policy(masker: masker).Check(_workspace, Diff(patch, new FileChange("config.txt", FileChangeKind.Modified)));

        var violation = violations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(violation.Path, Is.EqualTo("config.txt"));
            Assert.That(violation.Line, Is.EqualTo(11));
            Assert.That(violation.Message, Does.Contain("token = ***").And.Not.Contain("hunter2"));
        });
    }

    [Test]
    public void Check_RemovedSecret_Allowed()
    {
        var masker = new ListMasker();
        masker.AddSecret("hunter2-canary");
        const string patch = "--- a/c\n+++ b/c\n@@ -1,1 +1,1 @@\n-token = hunter2-canary\n+token = from-env\n";

        var violations = Policy(masker: masker).Check(_workspace, Diff(patch, new FileChange("c", FileChangeKind.Modified)));

        Assert.That(violations, Is.Empty);
    }
}

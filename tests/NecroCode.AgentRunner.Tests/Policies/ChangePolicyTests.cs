using Microsoft.Extensions.Options;
using System.Text;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Tests.Orchestration;

namespace NecroCode.AgentRunner.Tests.Policies;

[TestFixture]
public sealed class ChangePolicyTests
{
    private TempFolder _workspace = null!;

    [SetUp]
    public void SetUp() => _workspace = new TempFolder("necrocode-policy-");

    [TearDown]
    public void TearDown() => _workspace.Dispose();

    private const string Canary = "canary-7Hq2ZpX9wL4mVb";

    private static ChangePolicy Policy(Action<ChangePolicyOptions>? configure = null, ISecretMasker? masker = null)
    {
        var options = new ChangePolicyOptions();
        configure?.Invoke(options);
        return new ChangePolicy(Options.Create(options), masker ?? new SecretMaskerStub());
    }

    private static WorkspaceDiff Diff(string patch, params FileChange[] changes) => new(patch, changes);

    [Test]
    public void Check_SymlinkOutsideWorkspace_Refused()
    {
        File.CreateSymbolicLink(_workspace.Combine("passwd"), "/etc/passwd");

        var violations = Policy().Check(_workspace.Path, Diff("", new FileChange("passwd", FileChangeKind.Added)));

        Assert.That(violations.Single().ToString(), Does.Contain("passwd").And.Contain("outside the workspace"));
    }

    [Test]
    public void Check_RelativeSymlinkEscaping_Refused()
    {
        Directory.CreateDirectory(_workspace.Combine("a"));
        File.CreateSymbolicLink(_workspace.Combine("a", "up"), "../../..");

        var violations = Policy().Check(_workspace.Path, Diff("", new FileChange("a/up", FileChangeKind.Added)));

        Assert.That(violations, Has.Count.EqualTo(1));
    }

    [Test]
    public void Check_SymlinkInsideWorkspace_Allowed()
    {
        File.WriteAllText(_workspace.Combine("target.txt"), "x");
        File.CreateSymbolicLink(_workspace.Combine("link.txt"), "target.txt");

        var violations = Policy().Check(_workspace.Path, Diff("", new FileChange("link.txt", FileChangeKind.Added), new FileChange("target.txt", FileChangeKind.Added)));

        Assert.That(violations, Is.Empty);
    }

    [TestCase("../outside.txt")]
    [TestCase("/etc/hosts")]
    [TestCase("a/../../b")]
    public void Check_EscapingPath_Refused(string path)
    {
        var violations = Policy().Check(_workspace.Path, Diff("", new FileChange(path, FileChangeKind.Added)));

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

        var violations = policy.Check(_workspace.Path, Diff("",
            new FileChange("src/a/b/c.cs", FileChangeKind.Added),
            new FileChange("tests/x.cs", FileChangeKind.Modified),
            new FileChange("tests/deep/y.cs", FileChangeKind.Added),
            new FileChange(".github/workflows/ci.yml", FileChangeKind.Modified)));

        Assert.That(violations.Select(v => v.Path), Is.EqualTo(new[] { "tests/deep/y.cs", ".github/workflows/ci.yml" }));
    }

    [Test]
    public void Check_DiffTooLarge_Refused()
    {
        var violations = Policy(o => o.MaxDiffBytes = 10).Check(_workspace.Path, Diff(new string('x', 11), new FileChange("a", FileChangeKind.Deleted)));

        Assert.That(violations.Single().Message, Does.Contain("11 bytes"));
    }

    [Test]
    public void Check_AddedSecret_RefusedNamingFileAndLineMasked()
    {
        var masker = new SecretMaskerStub();
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

        var violations = Policy(masker: masker).Check(_workspace.Path, Diff(patch, new FileChange("config.txt", FileChangeKind.Modified)));

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
        var masker = new SecretMaskerStub();
        masker.AddSecret("hunter2-canary");
        const string patch = "--- a/c\n+++ b/c\n@@ -1,1 +1,1 @@\n-token = hunter2-canary\n+token = from-env\n";

        var violations = Policy(masker: masker).Check(_workspace.Path, Diff(patch, new FileChange("c", FileChangeKind.Modified)));

        Assert.That(violations, Is.Empty);
    }

    private static ChangePolicy CanaryPolicy()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Canary);
        return Policy(masker: masker);
    }

    private void WriteBytes(string path, params byte[][] parts) => File.WriteAllBytes(_workspace.Combine(path), [.. parts.SelectMany(p => p)]);

    [Test]
    public void Check_SecretInFileWithNulByte_RefusedNamingFileAndLineMasked()
    {
        WriteBytes("data.bin", "line one\n\0\u0001"u8.ToArray(), Encoding.ASCII.GetBytes($"token={Canary}\n"));

        var violations = CanaryPolicy().Check(_workspace.Path, Diff("Binary files differ", new FileChange("data.bin", FileChangeKind.Added, IsBinary: true)));

        var violation = violations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(violation.Path, Is.EqualTo("data.bin"));
            Assert.That(violation.Line, Is.EqualTo(2));
            Assert.That(violation.Message, Does.Contain("token=***").And.Not.Contain(Canary));
        });
    }

    [Test]
    public void Check_SecretInLatin1Text_Refused()
    {
        WriteBytes("notes.txt", Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me\n"), Encoding.Latin1.GetBytes($"\u00e9{Canary}\u00e9\n"));

        var violations = CanaryPolicy().Check(_workspace.Path, Diff("", new FileChange("notes.txt", FileChangeKind.Modified, IsBinary: true)));

        Assert.That(violations.Single().ToString(), Does.StartWith("notes.txt:2:").And.Contain("***").And.Not.Contain(Canary));
    }

    [Test]
    public void Check_SecretInUtf16Text_Refused()
    {
        WriteBytes("wide.txt", Encoding.Unicode.GetBytes($"key: {Canary}\n"));

        var violations = CanaryPolicy().Check(_workspace.Path, Diff("", new FileChange("wide.txt", FileChangeKind.Added, IsBinary: true)));

        Assert.That(violations.Single().Message, Does.Contain("UTF-16").And.Contain("***").And.Not.Contain(Canary));
    }

    [Test]
    public void Check_SecretInFileName_RefusedWithPathMasked()
    {
        var name = $"dump-{Canary}.txt";
        File.WriteAllText(_workspace.Combine(name), "harmless\n");

        var violations = CanaryPolicy().Check(_workspace.Path, Diff("", new FileChange(name, FileChangeKind.Added)));

        var violation = violations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(violation.Path, Is.EqualTo("dump-***.txt"));
            Assert.That(violation.Message, Does.Contain("file name"));
        });
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(19)]
    public void Check_SecretAcrossReadBlockBoundary_Refused(int charsBeforeBoundary)
    {
        var filler = new string('a', ContentSecretScanner.BlockBytes - charsBeforeBoundary - 1);
        WriteBytes("big.txt", Encoding.ASCII.GetBytes(filler + "\n" + Canary + "\n" + new string('b', 3 * ContentSecretScanner.BlockBytes)));

        var violations = CanaryPolicy().Check(_workspace.Path, Diff("", new FileChange("big.txt", FileChangeKind.Added)));

        var violation = violations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(violation.Line, Is.EqualTo(2));
            Assert.That(violation.Message, Does.Contain("***").And.Not.Contain(Canary));
        });
    }

    [Test]
    public void Check_SecretInFileAndPatch_ReportedOnce()
    {
        File.WriteAllText(_workspace.Combine("c.txt"), $"a\ntoken = {Canary}\n");
        var patch = $"diff --git a/c.txt b/c.txt\n--- a/c.txt\n+++ b/c.txt\n@@ -1,1 +1,2 @@\n a\n+token = {Canary}\n";

        var violations = CanaryPolicy().Check(_workspace.Path, Diff(patch, new FileChange("c.txt", FileChangeKind.Modified)));

        Assert.That(violations.Single().ToString(), Is.EqualTo("c.txt:2: adds a secret or token: token = ***"));
    }

    [Test]
    public void Check_SecretInSymlinkTarget_Refused()
    {
        File.CreateSymbolicLink(_workspace.Combine("link"), Canary);

        var violations = CanaryPolicy().Check(_workspace.Path, Diff("", new FileChange("link", FileChangeKind.Added)));

        Assert.That(violations.Single().Message, Does.Contain("***").And.Not.Contain(Canary));
    }

    [Test]
    public void Check_DeletedFileHoldingSecret_Allowed()
    {
        File.WriteAllText(_workspace.Combine("gone.txt"), Canary);

        var violations = CanaryPolicy().Check(_workspace.Path, Diff("", new FileChange("gone.txt", FileChangeKind.Deleted)));

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Check_OtherMaskerSecretInBinaryFile_Refused()
    {
        var masker = new SecretMaskerStub();
        masker.AddSecret(Canary);
        WriteBytes("blob.bin", [0, 0xff, 0xfe], Encoding.ASCII.GetBytes(Canary));

        var violations = Policy(masker: masker).Check(_workspace.Path, Diff("", new FileChange("blob.bin", FileChangeKind.Added, IsBinary: true)));

        Assert.That(violations.Single().Message, Does.Contain("***").And.Not.Contain(Canary));
    }

    [Test]
    public void Check_AddedLineLookingLikeFileHeader_StillScanned()
    {
        var patch = $"diff --git a/c.txt b/c.txt\n--- a/c.txt\n+++ b/c.txt\n@@ -0,0 +1,2 @@\n+++ b/{Canary}\n+ok\n";

        var violations = CanaryPolicy().Check(_workspace.Path, Diff(patch, new FileChange("c.txt", FileChangeKind.Added)));

        Assert.That(violations.Single().ToString(), Does.StartWith("c.txt:1:").And.Not.Contain(Canary));
    }

    [Test]
    public void Check_TokenShapeOnUnchangedLineOfTextFile_Allowed()
    {
        const string shape = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        File.WriteAllText(_workspace.Combine("f.txt"), $"fixture = {shape}\nnew\n");
        var patch = $"diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1,1 +1,2 @@\n fixture = {shape}\n+new\n";

        var violations = CanaryPolicy().Check(_workspace.Path, Diff(patch, new FileChange("f.txt", FileChangeKind.Modified)));

        Assert.That(violations, Is.Empty);
    }

    [Test]
    public void Check_BinaryFileNamedInAddedLineOfOtherFile_ContentStillScanned()
    {
        WriteBytes("secret.bin", [0], Encoding.ASCII.GetBytes(Canary));
        var patch = "diff --git a/c.txt b/c.txt\n--- a/c.txt\n+++ b/c.txt\n@@ -0,0 +1,2 @@\n++++ b/secret.bin\n+@@ -1 +1 @@\n"
            + "diff --git a/secret.bin b/secret.bin\nnew file mode 100644\nGIT binary patch\nliteral 1\nIcmZo*00001\n";
        File.WriteAllText(_workspace.Combine("c.txt"), "++ b/secret.bin\n@@ -1 +1 @@\n");

        var violations = CanaryPolicy().Check(_workspace.Path, Diff(patch, new FileChange("c.txt", FileChangeKind.Added), new FileChange("secret.bin", FileChangeKind.Added, IsBinary: true)));

        Assert.That(violations.Single().Path, Is.EqualTo("secret.bin"));
    }
}

using System.Diagnostics;
using NecroCode.AgentRunner.Execution.Remote;

namespace NecroCode.AgentRunner.Tests.Execution.Remote;

[TestFixture]
public sealed class RemoteJobFolderTests
{
    private const string Marker = "host-only-content";
    private string _root = null!;
    private string _hostFile = null!;
    private RemoteJobFolder _job = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("necrocode-job-").FullName;
        _hostFile = Path.Combine(_root, "host-only.txt");
        File.WriteAllText(_hostFile, Marker);
        _job = RemoteJobFolder.Create(Path.Combine(_root, "jobs"), "runner-1");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void OpenFromInside_PlainFileInside_OpensIt()
    {
        File.WriteAllText(Path.Combine(_job.StatePath, "run.log"), "log");

        using var stream = _job.OpenFromInside("/necrocode/job/state/run.log", 1024, out var refusal);

        Assert.That(refusal, Is.Null);
        Assert.That(new StreamReader(stream!).ReadToEnd(), Is.EqualTo("log"));
    }

    [Test]
    public void OpenFromInside_DotDotPath_IsRefused()
    {
        var escape = "/necrocode/job/" + string.Join('/', Enumerable.Repeat("..", 3)) + "/host-only.txt";
        Assert.That(File.Exists(Path.Combine(_job.HostPath, "..", "..", "..", "host-only.txt")), Is.True, "the path leads to the host file");

        var stream = _job.OpenFromInside(escape, 1024, out var refusal);

        Assert.That(stream, Is.Null);
        Assert.That(refusal, Does.Contain("not a plain path inside the job folder"));
    }

    [Test]
    public void OpenFromInside_PathOutsideTheMount_IsRefused()
    {
        var stream = _job.OpenFromInside("/necrocode/jobs-elsewhere/x", 1024, out var refusal);

        Assert.That(stream, Is.Null);
        Assert.That(refusal, Does.Contain("not inside the job folder"));
    }

    [Test]
    public void OpenFromInside_SymbolicLinkToHostFile_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_job.HostPath, "leak.txt"), _hostFile);

        var stream = _job.OpenFromInside("/necrocode/job/leak.txt", 1024, out var refusal);

        Assert.That(stream, Is.Null);
        Assert.That(refusal, Does.Contain("symbolic link"));
    }

    [Test]
    public void OpenFromInside_SymbolicLinkFolderOnTheWay_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_job.StatePath, "out"), _root);

        var stream = _job.OpenFromInside("/necrocode/job/state/out/host-only.txt", 1024, out var refusal);

        Assert.That(stream, Is.Null);
        Assert.That(refusal, Does.Contain("symbolic link"));
    }

    [Test]
    public void OpenFromInside_Fifo_IsRefusedWithoutBlocking()
    {
        var fifo = Path.Combine(_job.HostPath, "pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.That(mkfifo.ExitCode, Is.Zero);
        }

        var stream = _job.OpenFromInside("/necrocode/job/pipe", 1024, out var refusal);

        Assert.That(stream, Is.Null);
        Assert.That(refusal, Does.Contain("not a regular file"));
    }

    [Test]
    public void OpenFromInside_LargerThanTheLimit_IsRefused()
    {
        File.WriteAllBytes(Path.Combine(_job.HostPath, "big.bin"), new byte[2048]);

        var stream = _job.OpenFromInside("/necrocode/job/big.bin", 1024, out var refusal);

        Assert.That(stream, Is.Null);
        Assert.That(refusal, Does.Contain("more than the limit of 1024"));
    }

    [Test]
    public void OpenFromInside_Missing_SaysItDoesNotExist()
    {
        var stream = _job.OpenFromInside("/necrocode/job/state/none.txt", 1024, out var refusal);

        Assert.That(stream, Is.Null);
        Assert.That(refusal, Does.Contain("does not exist"));
    }
}

using System.Text;
using NecroCode.AgentRunner.Specs;

namespace NecroCode.AgentRunner.Tests.Specs;

[TestFixture]
public sealed class TasksFileWriterTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TempFolder("necrocode-tasks-");

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public void Apply_LeafDone_ChangesOnlyItsMarkByte()
    {
        var before = Encoding.UTF8.GetBytes("# Plan\n\n- [ ] 1. 最初のタスク\n  - 詳細\n- [ ] 2. Second\n");

        var after = TasksFileWriter.Apply(before, "1", SpecTaskStatus.Done)!;

        Assert.That(Encoding.UTF8.GetString(after), Is.EqualTo("# Plan\n\n- [x] 1. 最初のタスク\n  - 詳細\n- [ ] 2. Second\n"));
    }

    [Test]
    public void Apply_CrLfBomAndStrayBytes_KeepsEveryOtherByte()
    {
        byte[] before = [0xEF, 0xBB, 0xBF, .. "- [ ] 1. First\r\n  - caf"u8, 0xE9, .. " (not UTF-8)\r\n- [ ] 2. Second"u8];

        var after = TasksFileWriter.Apply(before, "2", SpecTaskStatus.InProgress)!;

        var expected = (byte[])before.Clone();
        expected[Array.LastIndexOf(before, (byte)'[') + 1] = (byte)'-';
        Assert.That(after, Is.EqualTo(expected));
    }

    [Test]
    public void Apply_LoneCarriageReturns_CountLinesLikeTheReader()
    {
        var before = "- [ ] 1. First\r- [ ] 2. Second\r"u8.ToArray();

        var after = TasksFileWriter.Apply(before, "2", SpecTaskStatus.Done)!;

        Assert.That(after, Is.EqualTo("- [ ] 1. First\r- [x] 2. Second\r"u8.ToArray()));
    }

    [Test]
    public void Apply_Utf16WithByteOrderMark_KeepsTheEncoding()
    {
        var text = "- [ ] 1. 一つ目\r\n";
        var before = (byte[])[.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes(text)];

        var after = TasksFileWriter.Apply(before, "1", SpecTaskStatus.Done)!;

        Assert.That(after, Is.EqualTo((byte[])[.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes("- [x] 1. 一つ目\r\n")]));
    }

    [Test]
    public void Apply_LastRequiredSubTaskDone_TicksTheParentOff()
    {
        var before = "- [-] 1. Parent\n  - [x] 1.1 A\n  - [ ] 1.2 B\n  - [ ]* 1.3 Optional\n"u8.ToArray();

        var after = TasksFileWriter.Apply(before, "1.2", SpecTaskStatus.Done)!;

        Assert.That(Encoding.UTF8.GetString(after), Is.EqualTo("- [x] 1. Parent\n  - [x] 1.1 A\n  - [x] 1.2 B\n  - [ ]* 1.3 Optional\n"));
    }

    [Test]
    public void Apply_SubTaskStarted_MarksTheParentInProgress()
    {
        var before = "- [ ] 1. Parent\n  - [ ] 1.1 A\n"u8.ToArray();

        var after = TasksFileWriter.Apply(before, "1.1", SpecTaskStatus.InProgress)!;

        Assert.That(Encoding.UTF8.GetString(after), Is.EqualTo("- [-] 1. Parent\n  - [-] 1.1 A\n"));
    }

    [Test]
    public void Apply_TaskNotInFile_ReturnsNull()
    {
        Assert.That(TasksFileWriter.Apply("- [ ] 1. First\n"u8.ToArray(), "3", SpecTaskStatus.Done), Is.Null);
    }

    [Test]
    public async Task SetStatusAsync_ReplacesTheFileAtomicallyAndKeepsItsMode()
    {
        var path = _folder.WriteFile("tasks.md", "- [ ] 1. First\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var found = await TasksFileWriter.SetStatusAsync(path, "1", SpecTaskStatus.Done, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.True);
            Assert.That(File.ReadAllText(path), Is.EqualTo("- [x] 1. First\n"));
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead));
            Assert.That(Directory.GetFiles(_folder.Path), Is.EqualTo(new[] { path }), "no temp file is left");
        });
    }

    [Test]
    public async Task SetStatusAsync_FileSavedByAnEditorMeanwhile_ReappliesOnTheNewContent()
    {
        var path = _folder.WriteFile("tasks.md", "- [ ] 1. First\n- [ ] 2. Second\n");
        var attempts = new List<int>();

        await TasksFileWriter.SetStatusAsync(path, "1", SpecTaskStatus.Done, attempt =>
        {
            // An editor saves its own version while the writer works: a new line, and task 2 ticked by hand.
            attempts.Add(attempt);
            if (attempt == 0)
            {
                File.WriteAllText(path, "- [ ] 1. First\r\n- [x] 2. Second\r\n- [ ] 3. Added in the editor\r\n");
            }
        }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(path), Is.EqualTo("- [x] 1. First\r\n- [x] 2. Second\r\n- [ ] 3. Added in the editor\r\n"));
            Assert.That(attempts, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(Directory.GetFiles(_folder.Path), Is.EqualTo(new[] { path }), "no temp file is left");
        });
    }
}

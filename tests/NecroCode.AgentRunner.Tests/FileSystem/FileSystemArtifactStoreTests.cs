using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.FileSystem;

[TestFixture]
public sealed class FileSystemArtifactStoreTests
{
    private static readonly TaskKey Task1 = new("spec", "task-1");
    private TempFolder _dir = null!;
    private FileSystemArtifactStore _store = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempFolder();
        _store = new FileSystemArtifactStore(Options.Create(new FileSystemOptions { RootPath = _dir.Path }), NullLogger<FileSystemArtifactStore>.Instance);
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task StoreAsync_ThenOpenRead_ReturnsContentUnderFileUri()
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("diff --git a b\n"));

        var uri = await _store.StoreAsync(new ArtifactKey(Task1, "runner-1", "diff.patch"), content, CancellationToken.None);
        string read;
        using (var reader = new StreamReader(await _store.OpenReadAsync(uri, CancellationToken.None)))
        {
            read = await reader.ReadToEndAsync();
        }

        Assert.That((uri.Scheme, uri.LocalPath), Is.EqualTo(("file", Path.Combine(_store.RootPath, "spec", "task-1", "runner-1", "diff.patch"))));
        Assert.That(read, Is.EqualTo("diff --git a b\n"));
    }

    [Test]
    public async Task StoreAsync_UriRecordedInRegistry_ReadsBackAsSameFileUri()
    {
        var uri = await _store.StoreAsync(new ArtifactKey(Task1, "runner-1", "diff with space.patch"), new MemoryStream("x"u8.ToArray()), CancellationToken.None);
        var registry = new FileSystemTaskRegistry(Options.Create(new FileSystemOptions { RootPath = _dir.Path }), TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);
        await registry.AddArtifactAsync(Task1, new ArtifactRecord(ArtifactKind.Diff, "diff with space.patch", uri, 1, "aa"), "runner-a", CancellationToken.None);

        var recorded = (await registry.GetTaskAsync(Task1, CancellationToken.None))!.Artifacts.Single().Uri!;

        Assert.That((recorded.IsAbsoluteUri, recorded.IsFile, recorded.LocalPath), Is.EqualTo((true, true, uri.LocalPath)));
        Assert.That(recorded.OriginalString, Does.StartWith("file:///"));
    }

    [Test]
    public async Task StoreAsync_SameKeyTwice_Replaces()
    {
        var key = new ArtifactKey(Task1, "runner-1", "run.jsonl");
        await _store.StoreAsync(key, new MemoryStream("old"u8.ToArray()), CancellationToken.None);

        var uri = await _store.StoreAsync(key, new MemoryStream("new"u8.ToArray()), CancellationToken.None);

        Assert.That(await File.ReadAllTextAsync(uri.LocalPath), Is.EqualTo("new"));
    }

    [Test]
    public void StoreAsync_CancelledMidUpload_LeavesNothing()
    {
        using var cts = new CancellationTokenSource();
        using var content = new CancellingStream(cts);

        Assert.That(
            () => _store.StoreAsync(new ArtifactKey(Task1, "runner-1", "big.bin"), content, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Directory.GetFiles(_store.RootPath, "*", SearchOption.AllDirectories), Is.Empty);
    }

    [TestCase("../x")]
    [TestCase("..")]
    [TestCase("a/b")]
    [TestCase("a\0b")]
    [TestCase("a\u0007b")]
    [TestCase("")]
    [TestCase("a#b")]
    public void StoreAsync_BadName_ThrowsArgumentException(string name)
    {
        Assert.That(
            () => _store.StoreAsync(new ArtifactKey(Task1, "runner-1", name), new MemoryStream([1]), CancellationToken.None),
            Throws.ArgumentException.With.Message.Contain("artifact name"));
    }

    [TestCase("file:///etc/passwd")]
    [TestCase("https://example.com/artifact")]
    public void OpenReadAsync_ForeignUri_ThrowsArtifactStoreException(string uri)
    {
        Assert.That(() => _store.OpenReadAsync(new Uri(uri), CancellationToken.None), Throws.TypeOf<ArtifactStoreException>());
    }

    [Test]
    public void OpenReadAsync_EscapingUri_ThrowsArtifactStoreException()
    {
        var uri = new Uri(_store.RootPath + "/spec/../../outside.txt");

        Assert.That(() => _store.OpenReadAsync(uri, CancellationToken.None), Throws.TypeOf<ArtifactStoreException>());
    }

    [Test]
    public void OpenReadAsync_MissingArtifact_ThrowsArtifactStoreException()
    {
        var uri = new Uri(Path.Combine(_store.RootPath, "spec", "task-1", "runner-1", "missing.txt"));

        Assert.That(() => _store.OpenReadAsync(uri, CancellationToken.None), Throws.TypeOf<ArtifactStoreException>().With.Message.Contain("does not exist"));
    }

    /// <summary>Yields data, cancels its token source on the second read, then keeps yielding.</summary>
    private sealed class CancellingStream(CancellationTokenSource cts) : Stream
    {
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (++_reads == 2)
            {
                cts.Cancel();
            }

            cancellationToken.ThrowIfCancellationRequested();
            buffer.Span.Fill(42);
            return ValueTask.FromResult(buffer.Length);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

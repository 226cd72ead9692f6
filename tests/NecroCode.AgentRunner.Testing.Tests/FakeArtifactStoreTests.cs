using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeArtifactStoreTests
{
    private static readonly ArtifactKey Key = new(new TaskKey("spec", "1"), "runner-1", "diff.patch");

    [Test]
    public async Task StoreAsync_Content_ReadBackByItsMemoryUri()
    {
        var store = new FakeArtifactStore();

        var uri = await store.StoreAsync(Key, new MemoryStream("patch"u8.ToArray()), CancellationToken.None);
        await using var stream = await store.OpenReadAsync(uri, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(uri.Scheme, Is.EqualTo("memory"));
            Assert.That(new StreamReader(stream).ReadToEnd(), Is.EqualTo("patch"));
            Assert.That(store.Content.Keys, Is.EqualTo(new[] { uri }));
        });
    }

    [Test]
    public void StoreAsync_FailWithSet_ThrowsArtifactStoreExceptionWithTheMessage()
    {
        var store = new FakeArtifactStore { FailWith = "the bucket is gone" };

        var ex = Assert.ThrowsAsync<ArtifactStoreException>(() => store.StoreAsync(Key, new MemoryStream([1]), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo("the bucket is gone"));
            Assert.That(store.Content, Is.Empty);
        });
    }

    [Test]
    public void OpenReadAsync_UnknownUri_ThrowsArtifactStoreException()
    {
        var store = new FakeArtifactStore();

        Assert.That(() => store.OpenReadAsync(new Uri("memory://artifacts/none"), CancellationToken.None), Throws.TypeOf<ArtifactStoreException>());
    }
}

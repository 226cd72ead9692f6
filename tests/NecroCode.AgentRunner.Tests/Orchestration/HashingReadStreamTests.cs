using System.Security.Cryptography;
using NecroCode.AgentRunner.Orchestration;

namespace NecroCode.AgentRunner.Tests.Orchestration;

[TestFixture]
public sealed class HashingReadStreamTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31))];

    [Test]
    public async Task TryGetDigest_CopiedToTheEnd_IsTheContentsSha256()
    {
        // Arrange
        using var inner = new MemoryStream(Content);
        using var stream = new HashingReadStream(inner);
        using var copy = new MemoryStream();

        // Act
        await stream.CopyToAsync(copy);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(stream.TryGetDigest(out var digest), Is.True);
            Assert.That(digest, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Content))));
            Assert.That(copy.ToArray(), Is.EqualTo(Content));
        });
    }

    [Test]
    public void TryGetDigest_ReadExactlyTheLengthInPieces_IsTheContentsSha256()
    {
        // Arrange: a reader that stops at the length without reading the end.
        using var inner = new MemoryStream(Content);
        using var stream = new HashingReadStream(inner);
        var buffer = new byte[7_001];

        // Act
        var total = 0;
        while (total < Content.Length)
        {
            total += stream.Read(buffer, 0, Math.Min(buffer.Length, Content.Length - total));
        }

        // Assert
        Assert.That(stream.TryGetDigest(out var digest) ? digest : null, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Content))));
    }

    [Test]
    public void TryGetDigest_StoppedEarly_False()
    {
        // Arrange
        using var inner = new MemoryStream(Content);
        using var stream = new HashingReadStream(inner);

        // Act
        stream.ReadExactly(new byte[1000]);

        // Assert
        Assert.That(stream.TryGetDigest(out _), Is.False);
    }

    [Test]
    public async Task TryGetDigest_ReadTwiceAfterASeekToTheStart_False()
    {
        // Arrange: an upload retried from the start reads the first part twice.
        using var inner = new MemoryStream(Content);
        using var stream = new HashingReadStream(inner);
        stream.ReadExactly(new byte[1000]);

        // Act
        stream.Position = 0;
        await stream.CopyToAsync(Stream.Null);

        // Assert
        Assert.That(stream.TryGetDigest(out _), Is.False);
    }
}

using System.Text;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class SecretMaskingStreamTests
{
    private const string Secret = "clé-secrète-✓-42";

    private static string MaskBytes(SecretMasker masker, byte[] bytes, int chunkSize, int threshold)
    {
        using var inner = new MemoryStream();
        using (var stream = new SecretMaskingStream(inner, masker, leaveOpen: true, threshold))
        {
            for (var i = 0; i < bytes.Length; i += chunkSize)
            {
                stream.Write(bytes, i, Math.Min(chunkSize, bytes.Length - i));
            }
        }

        return Encoding.UTF8.GetString(inner.ToArray());
    }

    [Test]
    public void Write_EveryByteChunkSize_MasksMultiByteSecret()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        var bytes = Encoding.UTF8.GetBytes($"naïve {Secret} — {Uri.EscapeDataString(Secret)} ✓");
        var failures = new List<int>();

        for (var size = 1; size <= bytes.Length; size++)
        {
            if (MaskBytes(masker, bytes, size, threshold: 1) != "naïve *** — *** ✓")
            {
                failures.Add(size);
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task WriteAsync_TokenSplitAcrossWrites_IsMasked()
    {
        using var inner = new MemoryStream();
        var stream = new SecretMaskingStream(inner, new SecretMasker(), leaveOpen: true);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("key AKIAIOSF")).ConfigureAwait(false);
            await stream.WriteAsync(Encoding.UTF8.GetBytes("ODNN7EXAMPL3 used")).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }

        Assert.That(Encoding.UTF8.GetString(inner.ToArray()), Is.EqualTo("key *** used"));
    }

    [Test]
    public void Read_Always_Throws()
    {
        using var stream = new SecretMaskingStream(new MemoryStream(), new SecretMasker());

        Assert.That(() => stream.ReadByte(), Throws.TypeOf<NotSupportedException>());
    }

    [Test]
    public void Constructor_ReadOnlyInner_Throws()
    {
        using var readOnly = new MemoryStream([], writable: false);

        Assert.That(() => new SecretMaskingStream(readOnly, new SecretMasker()), Throws.ArgumentException.With.Message.Contains("writable"));
    }
}

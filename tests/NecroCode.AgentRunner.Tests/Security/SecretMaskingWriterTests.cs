using System.Text;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class SecretMaskingWriterTests
{
    private const string Secret = "writer-secret-7f3a";

    [Test]
    public void Write_SecretSplitAcrossWrites_IsMasked()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        var inner = new StringWriter();
        using (var writer = new SecretMaskingWriter(inner, masker, leaveOpen: true))
        {
            writer.Write("token: writer-sec");
            writer.Write('r');
            writer.Write("et-7f3a".ToCharArray(), 0, 7);
            writer.WriteLine(" done");
        }

        Assert.That(inner.ToString(), Is.EqualTo("token: *** done" + inner.NewLine));
    }

    [Test]
    public void Write_EveryChunkSizeWithImmediateMasking_NeverLeaks()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        var text = $"a {Secret} b {Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret))} c";
        var failures = new List<int>();

        for (var size = 1; size <= text.Length; size++)
        {
            var inner = new StringWriter();
            using (var writer = new SecretMaskingWriter(inner, masker, leaveOpen: true, processThreshold: 1))
            {
                for (var i = 0; i < text.Length; i += size)
                {
                    writer.Write(text.AsSpan(i, Math.Min(size, text.Length - i)));
                }
            }

            if (inner.ToString() != "a *** b *** c")
            {
                failures.Add(size);
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task WriteAsync_SecretSplitAcrossWrites_IsMasked()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        var inner = new StringWriter();
        var writer = new SecretMaskingWriter(inner, masker, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync("x writer-").ConfigureAwait(false);
            await writer.WriteLineAsync("secret-7f3a y".AsMemory(), CancellationToken.None).ConfigureAwait(false);
            await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);

            Assert.That(inner.ToString(), Is.EqualTo("x *** y" + inner.NewLine));
        }
    }

    [Test]
    public void Flush_PendingText_IsWrittenToInner()
    {
        var inner = new StringWriter();
        using var writer = new SecretMaskingWriter(inner, new SecretMasker(), leaveOpen: true);
        writer.Write("short");

        writer.Flush();

        Assert.That(inner.ToString(), Is.EqualTo("short"));
    }

    [Test]
    public void Dispose_NotLeaveOpen_DisposesInner()
    {
        var inner = new StringWriter();
        var writer = new SecretMaskingWriter(inner, new SecretMasker());

        writer.Dispose();

        Assert.That(() => inner.Write("x"), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void Constructor_NullInner_Throws()
    {
        Assert.That(() => new SecretMaskingWriter(null!, new SecretMasker()), Throws.ArgumentNullException);
    }
}

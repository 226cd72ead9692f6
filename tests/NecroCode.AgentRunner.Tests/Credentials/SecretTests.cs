using System.Text;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class SecretTests
{
    [Test]
    public void AsSpan_NewSecret_ReturnsTheValue()
    {
        using var secret = new Secret("git-token", "hunter22-value");

        Assert.That(secret.AsSpan().ToString(), Is.EqualTo("hunter22-value"));
    }

    [Test]
    public void ToString_AnySecret_NeverShowsTheValue()
    {
        using var secret = new Secret("git-token", "hunter22-value");

        Assert.Multiple(() =>
        {
            Assert.That(secret.ToString(), Is.EqualTo("***"));
            Assert.That($"{secret}", Is.EqualTo("***"));
            Assert.That(string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}", secret), Is.EqualTo("***"));
        });
    }

    [Test]
    public void Dispose_HeldSecret_ZeroesTheBufferAndRefusesReads()
    {
        var secret = new Secret("git-token", "hunter22-value");

        secret.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(secret.IsZeroed(), Is.True);
            Assert.That(secret.IsDisposed, Is.True);
            Assert.That(() => secret.Reveal(), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    [Test]
    public void FromUtf8_MultiByteValue_DecodesIt()
    {
        using var secret = Secret.FromUtf8("api-key", Encoding.UTF8.GetBytes("clé-secrète"));

        Assert.That(secret.Reveal(), Is.EqualTo("clé-secrète"));
    }

    [Test]
    public void Constructor_EmptyName_Throws()
    {
        Assert.That(() => new Secret(" ", "value"), Throws.ArgumentException);
    }
}

using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class CompositeCredentialProviderTests
{
    [Test]
    public async Task GetAsync_BothHaveIt_FirstWins()
    {
        var composite = new CompositeCredentialProvider([new Fixed("first-value"), new Fixed("second-value")]);

        using var secret = await composite.GetAsync("git-token", CancellationToken.None);

        Assert.That(secret!.Reveal(), Is.EqualTo("first-value"));
    }

    [Test]
    public async Task GetAsync_FirstLacksIt_SecondAnswers()
    {
        var composite = new CompositeCredentialProvider([new Fixed(null), new Fixed("second-value")]);

        using var secret = await composite.GetAsync("git-token", CancellationToken.None);

        Assert.That(secret!.Reveal(), Is.EqualTo("second-value"));
    }

    [Test]
    public async Task GetAsync_NoneHasIt_ReturnsNull()
    {
        var composite = new CompositeCredentialProvider([new Fixed(null)]);

        var secret = await composite.GetAsync("git-token", CancellationToken.None);

        Assert.That(secret, Is.Null);
    }

    [Test]
    public void Constructor_NullProvider_Throws()
    {
        Assert.That(() => new CompositeCredentialProvider([null!]), Throws.ArgumentNullException);
    }

    private sealed class Fixed(string? value) : ICredentialProvider
    {
        public ValueTask<Secret?> GetAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(value is null ? null : new Secret(name, value));
    }
}

using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Tests.Credentials;

[TestFixture]
public sealed class SecretFileCredentialProviderTests
{
    private TempFolder _root = null!;
    private string _secrets = null!;

    [SetUp]
    public void SetUp()
    {
        _root = new TempFolder("necrocode-secretfiles-");
        _secrets = _root.Combine("secrets");
        Directory.CreateDirectory(_secrets);
    }

    [TearDown]
    public void TearDown() => _root.Dispose();

    [TestCase("value-123\n")]
    [TestCase("value-123\r\n")]
    [TestCase("value-123")]
    public async Task GetAsync_FileWithOrWithoutTrailingNewline_ReturnsValueTrimmed(string content)
    {
        await File.WriteAllTextAsync(Path.Combine(_secrets, "git-token"), content);

        using var secret = await Provider().GetAsync("git-token", CancellationToken.None);

        Assert.That(secret!.Reveal(), Is.EqualTo("value-123"));
    }

    [Test]
    public async Task GetAsync_MappedFileName_ReadsThatFile()
    {
        await File.WriteAllTextAsync(Path.Combine(_secrets, "token"), "mapped-value");

        using var secret = await Provider(new CredentialOptions { Files = { ["git-token"] = "token" } }).GetAsync("git-token", CancellationToken.None);

        Assert.That(secret!.Reveal(), Is.EqualTo("mapped-value"));
    }

    [Test]
    public async Task GetAsync_MissingFile_ReturnsNull()
    {
        var secret = await Provider().GetAsync("git-token", CancellationToken.None);

        Assert.That(secret, Is.Null);
    }

    [Test]
    public async Task GetAsync_NoSecretDirectory_ReturnsNull()
    {
        var provider = new SecretFileCredentialProvider(Options.Create(new CredentialOptions()));

        var secret = await provider.GetAsync("git-token", CancellationToken.None);

        Assert.That(secret, Is.Null);
    }

    [Test]
    public async Task GetAsync_KubernetesStyleSymlinksInsideFolder_AreFollowed()
    {
        var data = Path.Combine(_secrets, "..2026_01_01_00_00_00.1");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "git-token"), "k8s-value\n");
        Directory.CreateSymbolicLink(Path.Combine(_secrets, "..data"), "..2026_01_01_00_00_00.1");
        File.CreateSymbolicLink(Path.Combine(_secrets, "git-token"), "..data/git-token");

        using var secret = await Provider().GetAsync("git-token", CancellationToken.None);

        Assert.That(secret!.Reveal(), Is.EqualTo("k8s-value"));
    }

    [Test]
    public async Task GetAsync_SymlinkLeadingOutside_IsRefusedNamingTheFile()
    {
        var outside = _root.Combine("outside.txt");
        await File.WriteAllTextAsync(outside, "not-a-secret-for-us");
        File.CreateSymbolicLink(Path.Combine(_secrets, "git-token"), outside);

        Assert.That(async () => await Provider().GetAsync("git-token", CancellationToken.None),
            Throws.TypeOf<CredentialException>().With.Message.Contains("outside the secret folder").And.Message.Contains("git-token")
                .And.Message.Not.Contains("not-a-secret-for-us"));
    }

    [Test]
    public async Task GetAsync_RelativeSymlinkClimbingOut_IsRefused()
    {
        await File.WriteAllTextAsync(_root.Combine("outside.txt"), "x-value");
        File.CreateSymbolicLink(Path.Combine(_secrets, "git-token"), "../outside.txt");

        Assert.That(async () => await Provider().GetAsync("git-token", CancellationToken.None), Throws.TypeOf<CredentialException>());
    }

    [Test]
    public async Task GetAsync_FileLargerThanLimit_IsRefused()
    {
        await File.WriteAllTextAsync(Path.Combine(_secrets, "git-token"), new string('a', 101));

        Assert.That(async () => await Provider(new CredentialOptions { MaxSecretFileBytes = 100 }).GetAsync("git-token", CancellationToken.None),
            Throws.TypeOf<CredentialException>().With.Message.Contains("larger than 100 bytes"));
    }

    [Test]
    public async Task GetAsync_InvalidUtf8_IsRefusedWithoutTheBytes()
    {
        await File.WriteAllBytesAsync(Path.Combine(_secrets, "git-token"), [0x61, 0xFF, 0xFE, 0x62]);

        Assert.That(async () => await Provider().GetAsync("git-token", CancellationToken.None),
            Throws.TypeOf<CredentialException>().With.Message.Not.Contains("FF").And.InnerException.Null);
    }

    [Test]
    public void GetAsync_DotDotName_Throws()
    {
        Assert.That(async () => await Provider().GetAsync("..", CancellationToken.None), Throws.ArgumentException);
    }

    private SecretFileCredentialProvider Provider(CredentialOptions? options = null)
    {
        options ??= new CredentialOptions();
        options.SecretDirectory = _secrets;
        return new SecretFileCredentialProvider(Options.Create(options));
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NecroCode.AgentRunner.Execution.Remote;
using NecroCode.AgentRunner.Tests.FileSystem;
using NecroCode.AgentRunner.Tests.Orchestration;

namespace NecroCode.AgentRunner.Tests.Execution.Remote;

[TestFixture]
public sealed class RemotePushVerifierTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private TempFolder _secrets = null!;
    private FakeLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _secrets = new TempFolder();
        _logger = new FakeLogger();
    }

    [TearDown]
    public void TearDown() => _secrets.Dispose();

    [Test]
    public async Task VerifyAsync_RemoteHasTheCommit_Confirmed()
    {
        var check = await Verifier(new Remote(_ => Commit)).VerifyAsync("/slot", "origin", "feature/x", Commit.ToUpperInvariant(), CancellationToken.None);

        Assert.That(check.IsConfirmed, Is.True);
    }

    [Test]
    public async Task VerifyAsync_BranchMissingAtTheRemote_RefusedSayingSo()
    {
        var check = await Verifier(new Remote(_ => null)).VerifyAsync("/slot", "origin", "feature/x", Commit, CancellationToken.None);

        Assert.That(check.Refusal, Is.EqualTo("the branch 'feature/x' does not exist at the remote"));
    }

    [Test]
    public async Task VerifyAsync_SecretFiles_HandedToTheRemoteAndWipedAfterwards()
    {
        File.WriteAllText(_secrets.Combine("git-token"), "tkn-1\n");
        var remote = new Remote(_ => Commit);

        await Verifier(remote).VerifyAsync("/slot", "origin", "feature/x", Commit, CancellationToken.None);

        Assert.That(remote.TokenSeen, Is.EqualTo("tkn-1"));
        Assert.Throws<ObjectDisposedException>(() => remote.Secrets!.TryReveal("git-token", out _));
    }

    [Test]
    public async Task VerifyAsync_TokenRefused_RefusedNamingTheSecretsSettingAndLoggedCritical()
    {
        var remote = new Remote(_ => throw new RemoteAuthenticationException("origin", "authentication failed"));

        var check = await Verifier(remote).VerifyAsync("/slot", "origin", "feature/x", Commit, CancellationToken.None);

        Assert.That(check.Refusal, Does.Contain("could not authenticate to the remote 'origin'").And.Contain("NecroCode:Test:SecretsPath"));
        Assert.That(_logger.LatestRecord.Level, Is.EqualTo(LogLevel.Critical));
        Assert.That(_logger.LatestRecord.Id.Id, Is.EqualTo(8013));
    }

    private RemotePushVerifier Verifier(IRemoteBranchReader remote) =>
        new(new RemoteSecretFolder(_secrets.Path, "NecroCode:Test:SecretsPath"), TimeProvider.System, _logger, new SecretMaskerStub(), remote);

    private sealed class Remote(Func<string, string?> answer) : IRemoteBranchReader
    {
        public IRunSecrets? Secrets { get; private set; }

        public string? TokenSeen { get; private set; }

        public Task<string?> ReadBranchAsync(string slotPath, string branch, IRunSecrets secrets, CancellationToken cancellationToken)
        {
            Secrets = secrets;
            TokenSeen = secrets.TryReveal("git-token", out var value) ? value : null;
            return Task.FromResult(answer(branch));
        }
    }
}

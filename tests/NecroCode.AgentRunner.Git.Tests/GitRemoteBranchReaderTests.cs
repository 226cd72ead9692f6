using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
[Category("Integration")]
public sealed class GitRemoteBranchReaderTests
{
    private const string User = "x-access-token";
    private const string Branch = "feature/task-spec-1";
    private GitTestRepository _repo = null!;

    [SetUp]
    public async Task SetUp() => _repo = await GitTestRepository.CreateAsync();

    [TearDown]
    public void TearDown() => _repo.Dispose();

    [Test]
    public async Task ReadBranchAsync_RightTokenInRunSecrets_ReturnsTheBranchCommit()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        var pushed = await _repo.PushToOriginAsync(Branch, "feature.txt", "done\n");

        var commit = await CreateReader().ReadBranchAsync(_repo.Slot, Branch, new RunSecretsStub("git-token", token), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(commit, Is.EqualTo(pushed));
            Assert.That(server.Requests, Has.Some.StartsWith("GET /origin.git/info/refs").And.None.EndsWith("-> 401"));
            Assert.That(server.TokenSeenInCommandLine, Is.False);
        }
    }

    [Test]
    public async Task ReadBranchAsync_WrongToken_ThrowsAuthenticationErrorWithoutRetryingOrShowingTheToken()
    {
        await using var server = await StartHttpOriginAsync(NewToken());
        await _repo.PushToOriginAsync(Branch, "feature.txt", "done\n");
        var wrong = NewToken();

        var exception = Assert.ThrowsAsync<RemoteAuthenticationException>(
            () => CreateReader().ReadBranchAsync(_repo.Slot, Branch, new RunSecretsStub("git-token", wrong), CancellationToken.None));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Remote, Is.EqualTo("origin"));
            Assert.That(exception.IsTransient, Is.False);
            Assert.That(exception.Message, Does.Contain("authentication failed").And.Contain("token"));
            Assert.That(exception.Message, Does.Not.Contain(wrong));
            Assert.That(server.Requests.Count(r => r.EndsWith("-> 401", StringComparison.Ordinal)), Is.EqualTo(1), string.Join('\n', server.Requests));
        }
    }

    [Test]
    public async Task ReadBranchAsync_NoToken_ThrowsAuthenticationError()
    {
        await using var server = await StartHttpOriginAsync(NewToken());

        var exception = Assert.ThrowsAsync<RemoteAuthenticationException>(
            () => CreateReader().ReadBranchAsync(_repo.Slot, Branch, RunSecrets.None, CancellationToken.None));

        Assert.That(exception!.Message, Does.Contain("authentication failed"));
    }

    [Test]
    public async Task ReadBranchAsync_BranchNotAtRemote_ReturnsNull()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        await _repo.PushToOriginAsync("feature/other/" + Branch, "feature.txt", "done\n");

        var commit = await CreateReader().ReadBranchAsync(_repo.Slot, Branch, new RunSecretsStub("git-token", token), CancellationToken.None);

        Assert.That(commit, Is.Null);
    }

    [Test]
    public async Task ReadBranchAsync_PushUrlConfigured_AsksThePushUrl()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        var pushed = await _repo.PushToOriginAsync(Branch, "feature.txt", "done\n");
        await _repo.SlotAsync("remote", "set-url", "origin", Path.Combine(_repo.Root, "missing.git"));
        await _repo.SlotAsync("remote", "set-url", "--push", "origin", server.UrlOf("origin.git"));

        var commit = await CreateReader().ReadBranchAsync(_repo.Slot, Branch, new RunSecretsStub("git-token", token), CancellationToken.None);

        Assert.That(commit, Is.EqualTo(pushed));
    }

    [Test]
    public async Task ReadBranchAsync_SlotWithoutTheRemote_ThrowsNamingIt()
    {
        await _repo.SlotAsync("remote", "remove", "origin");

        var exception = Assert.ThrowsAsync<WorkspaceException>(
            () => CreateReader().ReadBranchAsync(_repo.Slot, Branch, RunSecrets.None, CancellationToken.None));

        Assert.That(exception!.Message, Does.Contain("no remote 'origin'"));
    }

    [Test]
    public void ReadBranchAsync_InvalidBranchName_ThrowsArgumentException()
    {
        var exception = Assert.ThrowsAsync<ArgumentException>(
            () => CreateReader().ReadBranchAsync(_repo.Slot, "bad..name", RunSecrets.None, CancellationToken.None));

        Assert.That(exception!.ParamName, Is.EqualTo("branch"));
    }

    private static string NewToken() => "tkn" + Guid.NewGuid().ToString("N");

    private async Task<GitHttpServer> StartHttpOriginAsync(string token)
    {
        var server = await GitHttpServer.StartAsync(_repo.Root, User, token);
        await _repo.SlotAsync("remote", "set-url", "origin", server.UrlOf("origin.git"));
        return server;
    }

    /// <summary>A reader whose only token source is the run's secrets (its token variable is one nobody sets).</summary>
    private static GitRemoteBranchReader CreateReader()
    {
        var options = new GitOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), TokenVariable = "NECROCODE_TEST_UNSET_" + Guid.NewGuid().ToString("N") };
        return new GitRemoteBranchReader(Options.Create(new AgentRunnerOptions()), Options.Create(options), TimeProvider.System, logger: null, new SecretMasker());
    }
}

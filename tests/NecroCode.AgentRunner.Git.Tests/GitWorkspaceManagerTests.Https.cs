using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    private const string HttpUser = "x-access-token";

    [Test]
    public async Task PushAsync_HttpsWithToken_PreparesAndPushesWithoutPersistingTheToken()
    {
        // A private home and temp folder: whatever git or the runner writes there is scanned too.
        var home = Directory.CreateDirectory(Path.Combine(_repo.Root, "home")).FullName;
        var temp = Directory.CreateDirectory(Path.Combine(_repo.Root, "tmp")).FullName;
        string?[] saved = [Environment.GetEnvironmentVariable("HOME"), Environment.GetEnvironmentVariable("TMPDIR"), Environment.GetEnvironmentVariable("XDG_CONFIG_HOME")];
        Environment.SetEnvironmentVariable("HOME", home);
        Environment.SetEnvironmentVariable("TMPDIR", temp);
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", null);
        try
        {
            var token = NewToken();
            await using var server = await StartHttpOriginAsync(token);
            var manager = CreateHttpManager(token);
            await PrepareAsync(manager);
            GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
            var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: over https"), CancellationToken.None);

            var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(Path.GetTempPath(), Does.StartWith(temp));
                Assert.That(result, Is.EqualTo(new PushResult(true, "origin", Branch, sha, 1)));
                Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(sha));
                Assert.That(server.Requests, Has.Some.StartsWith("POST /origin.git/git-upload-pack"));
                Assert.That(server.Requests, Has.Some.StartsWith("POST /origin.git/git-receive-pack"));
                Assert.That(server.Requests, Has.None.EndsWith("-> 401"));
                Assert.That(server.TokenSeenInCommandLine, Is.False);
                Assert.That(FilesHolding(_repo.Slot, token), Is.Empty);
                Assert.That(FilesHolding(home, token), Is.Empty);
                Assert.That(FilesHolding(temp, token), Is.Empty);
                Assert.That(await _repo.SlotAsync("remote", "get-url", "origin"), Is.EqualTo(server.UrlOf("origin.git")));
                Assert.That(EventsText(), Does.Not.Contain(token));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("HOME", saved[0]);
            Environment.SetEnvironmentVariable("TMPDIR", saved[1]);
            Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", saved[2]);
        }
    }

    [Test]
    public async Task PushAsync_TokenOnlyInRunSecrets_PreparesAndPushesWithIt()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        var manager = CreateHttpManager(token: null);
        var secretFolder = Directory.CreateDirectory(Path.Combine(_repo.Root, "secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secretFolder, "git-token"), token + "\n");
        var provider = new SecretFileCredentialProvider(Options.Create(new CredentialOptions { SecretDirectory = secretFolder }));
        await using var secrets = await RunCredentials.OpenAsync(provider, ["git-token"], [], new SecretMasker(), logger: null, CancellationToken.None);
        await manager.PrepareAsync(new WorkspaceRequest(_repo.Slot, Branch, new TaskKey("spec", "1"), _events) { Secrets = secrets }, CancellationToken.None);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "feat: token from the run"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events) { Secrets = secrets }, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo(new PushResult(true, "origin", Branch, sha, 1)));
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(sha));
            Assert.That(server.Requests, Has.Some.StartsWith("POST /origin.git/git-upload-pack"));
            Assert.That(server.Requests, Has.Some.StartsWith("POST /origin.git/git-receive-pack"));
            Assert.That(server.Requests, Has.None.EndsWith("-> 401"));
            Assert.That(FilesHolding(_repo.Slot, token), Is.Empty);
        }
    }

    [Test]
    public async Task PushAsync_RunSecretAndOtherTokenInVariable_UsesTheRunSecret()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        var manager = CreateHttpManager("stale-" + token);
        var secrets = new RunSecretsStub("git-token", token);
        await manager.PrepareAsync(new WorkspaceRequest(_repo.Slot, Branch, new TaskKey("spec", "1"), _events) { Secrets = secrets }, CancellationToken.None);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events) { Secrets = secrets }, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(sha));
            Assert.That(server.Requests, Has.None.EndsWith("-> 401"));
        }
    }

    [Test]
    public async Task PrepareAsync_HttpsTokenFromFile_FetchesWithIt()
    {
        var token = NewToken();
        var tokenFile = Path.Combine(_repo.Root, "token.secret");
        await File.WriteAllTextAsync(tokenFile, token + "\n");
        await using var server = await StartHttpOriginAsync(token);
        var manager = CreateHttpManager(token: null, o => o.TokenFile = tokenFile);

        var prepared = await PrepareAsync(manager);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(await _repo.OriginAsync("rev-parse", "main")));
            Assert.That(server.Requests, Has.None.EndsWith("-> 401"));
            Assert.That(FilesHolding(_repo.Slot, token), Is.Empty);
        }
    }

    [Test]
    public async Task PrepareAsync_TokenFileMissing_ThrowsNamingTheFile()
    {
        var tokenFile = Path.Combine(_repo.Root, "missing.secret");
        await using var server = await StartHttpOriginAsync(NewToken());
        var manager = CreateHttpManager(token: null, o => o.TokenFile = tokenFile);

        var exception = Assert.ThrowsAsync<WorkspaceException>(() => PrepareAsync(manager));

        Assert.That(exception!.Message, Does.Contain(tokenFile).And.Contain("TokenFile"));
    }

    [Test]
    public async Task PrepareAsync_HttpsServerAnswers503_RetriesWithBackoffAndRecordsEvents()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        server.FailFirst = 2;
        var manager = CreateHttpManager(token);

        var prepared = await PrepareAsync(manager);

        var retries = _events.Events.OfType<RetryScheduled>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(await _repo.OriginAsync("rev-parse", "main")));
            Assert.That(retries.Select(r => (r.Operation, r.Attempt)), Is.EqualTo(new[] { ("fetch", 1), ("fetch", 2) }));
            Assert.That(retries.Select(r => r.Error), Has.All.Contain("503"));
            Assert.That(retries.Select(r => r.Delay), Has.All.GreaterThan(TimeSpan.Zero));
            Assert.That(server.Requests.Count(r => r.EndsWith("-> 503", StringComparison.Ordinal)), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task PushAsync_HttpsConnectionDropped_RetriesAndPushes()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        var manager = CreateHttpManager(token);
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var sha = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);
        // The first request of the push, on a fresh connection (curl silently re-sends a request whose reused connection died).
        server.AbortRequest = server.Requests.Count + 1;

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(result.Attempts, Is.EqualTo(2));
            Assert.That(result.Error, Is.Not.Null.And.Not.Contain(token));
            Assert.That(server.Requests, Has.Some.EndsWith("-> aborted"));
            Assert.That(_events.Events.OfType<RetryScheduled>().Select(r => (r.Operation, r.Attempt)), Is.EqualTo(new[] { ("push", 1) }));
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(sha));
        }
    }

    [Test]
    public async Task PushAsync_HttpsServerAnswers503_RetriesAndRecordsAttempts()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        var manager = CreateHttpManager(token);
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);
        server.FailFirst = 2;

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(result.Attempts, Is.EqualTo(3));
            Assert.That(result.Error, Does.Contain("503"));
            Assert.That(_events.Events.OfType<RetryScheduled>().Select(r => r.Attempt), Is.EqualTo(new[] { 1, 2 }));
        }
    }

    [Test]
    public async Task PrepareAsync_HttpsWrongToken_FailsAsAuthenticationWithoutRetry()
    {
        await using var server = await StartHttpOriginAsync(NewToken());
        var wrongToken = NewToken();
        var manager = CreateHttpManager(wrongToken);

        var exception = Assert.ThrowsAsync<GitTransportException>(() => PrepareAsync(manager));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exception!.Kind, Is.EqualTo(GitErrorKind.Authentication));
            Assert.That(exception.IsTransient, Is.False);
            Assert.That(exception.Message, Does.Contain("authentication failed").And.Not.Contain(wrongToken));
            Assert.That(server.Requests.Count(r => r.EndsWith("-> 401", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(_events.Events.OfType<RetryScheduled>(), Is.Empty);
            Assert.That(FilesHolding(_repo.Slot, wrongToken), Is.Empty);
        }
    }

    [Test]
    public async Task PushAsync_HttpsTokenRevoked_FailsOnceWithClearError()
    {
        var token = NewToken();
        var variable = "NECROCODE_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
        await using var server = await StartHttpOriginAsync(token);
        var manager = CreateHttpManager(token, o => o.TokenVariable = variable);
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);
        Environment.SetEnvironmentVariable(variable, "expired-" + token);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Attempts, Is.EqualTo(1));
            Assert.That(result.Error, Does.Contain("authentication failed").And.Contain("TokenVariable").And.Not.Contain(token));
            Assert.That(_events.Events.OfType<RetryScheduled>(), Is.Empty);
            Assert.That((await _repo.OriginAsync("for-each-ref", "--format=%(refname)")).Split('\n'), Is.EqualTo(new[] { "refs/heads/main" }));
        }
    }

    [Test]
    public async Task PushAsync_HttpsRemoteBranchDivergedBySomeoneElse_RejectedWithoutRetry()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        var manager = CreateHttpManager(token);
        await PrepareAsync(manager);
        var theirs = await _repo.PushToOriginAsync(Branch, "theirs.txt", "pushed by someone else\n");
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(result.Attempts, Is.EqualTo(1));
            Assert.That(result.Error, Does.Contain("rejected").And.Contain("not by the runner"));
            Assert.That(_events.Events.OfType<RetryScheduled>(), Is.Empty);
            Assert.That(await _repo.OriginAsync("rev-parse", Branch), Is.EqualTo(theirs));
        }
    }

    private static string NewToken() => "tkn" + Guid.NewGuid().ToString("N");

    private async Task<GitHttpServer> StartHttpOriginAsync(string token)
    {
        var server = await GitHttpServer.StartAsync(_repo.Root, HttpUser, token);
        await _repo.SlotAsync("remote", "set-url", "origin", server.UrlOf("origin.git"));
        return server;
    }

    /// <summary>A manager with the real CLI transport, reading <paramref name="token"/> from a variable of its own.</summary>
    private GitWorkspaceManager CreateHttpManager(string? token, Action<GitOptions>? configure = null)
    {
        var options = new GitOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), TokenVariable = "NECROCODE_TEST_TOKEN_" + Guid.NewGuid().ToString("N") };
        configure?.Invoke(options);
        _tokenVariables.Add(options.TokenVariable);
        if (token is not null)
        {
            Environment.SetEnvironmentVariable(options.TokenVariable, token);
        }

        return new GitWorkspaceManager(
            Options.Create(new AgentRunnerOptions()), Options.Create(options), TimeProvider.System, logger: null, transport: null, new SecretMasker());
    }

    /// <summary>Every file under <paramref name="root"/> holding the token, plainly or as the Basic credential.</summary>
    private static List<string> FilesHolding(string root, string token)
    {
        byte[][] needles = [Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{HttpUser}:{token}")))];
        return [.. Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(file => new FileInfo(file).LinkTarget is null)
            .Where(file =>
            {
                var content = File.ReadAllBytes(file);
                return needles.Any(needle => content.AsSpan().IndexOf(needle) >= 0);
            })];
    }

    private string EventsText() => string.Join('\n', _events.Events.Select(e => JsonSerializer.Serialize(e, e.GetType())));
}

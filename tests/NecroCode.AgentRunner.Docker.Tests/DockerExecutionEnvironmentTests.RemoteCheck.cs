using Microsoft.Extensions.Logging.Testing;
using NecroCode.AgentRunner.Git;
using NecroCode.AgentRunner.Git.Tests;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Docker.Tests;

public sealed partial class DockerExecutionEnvironmentTests
{
    private const string HttpUser = "x-access-token";

    [Test]
    public async Task RunAsync_HttpsOriginTokenOnlyInSecretFile_SucceedsAndTheHostChecksThePushWithTheToken()
    {
        var token = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        File.WriteAllText(Path.Combine(_sandbox.SecretsPath, "git-token"), token + "\n");
        var options = HttpOptions();
        var logger = new FakeLogger<DockerExecutionEnvironment>();
        using var environment = Create(options, new SecretMasker(), logger, HostReader());

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message + "\n" + string.Join('\n', server.Requests));
        var requests = server.Requests.ToList();
        var push = requests.FindLastIndex(r => r.StartsWith("POST /origin.git/git-receive-pack", StringComparison.Ordinal) && r.EndsWith("-> cgi", StringComparison.Ordinal));
        var check = requests.FindLastIndex(r => r.StartsWith("GET /origin.git/info/refs?service=git-upload-pack", StringComparison.Ordinal) && r.EndsWith("-> cgi", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await DockerSandbox.GitAsync(_sandbox.Root, "--git-dir", _sandbox.Origin, "rev-parse", result.Branch!), Is.EqualTo(result.CommitId));
            Assert.That(push, Is.GreaterThanOrEqualTo(0), "the container pushed over HTTP: " + string.Join('\n', requests));
            Assert.That(check, Is.GreaterThan(push), "the host asked the remote, authenticated, after the push: " + string.Join('\n', requests));
            Assert.That(requests, Has.None.EndsWith("-> 401"));
            Assert.That(logger.Collector.GetSnapshot().Select(r => r.Message), Has.None.Contains(token));
        }
    }

    [Test]
    public async Task RunAsync_VerifyPushWithWrongHostToken_RefusedNamingTheAuthenticationFailure()
    {
        var token = NewToken();
        var wrong = NewToken();
        await using var server = await StartHttpOriginAsync(token);
        File.WriteAllText(Path.Combine(_sandbox.SecretsPath, "git-token"), token + "\n");

        // The container pushes with 'git-token'; the host is configured to read its token from another secret file.
        File.WriteAllText(Path.Combine(_sandbox.SecretsPath, "host-git-token"), wrong + "\n");
        var options = HttpOptions();
        options.VerifyPush = true;
        var logger = new FakeLogger<DockerExecutionEnvironment>();
        using var environment = Create(options, new SecretMasker(), logger, HostReader(o => o.TokenSecret = "host-git-token"));

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Refused), result.Error?.Message);
            Assert.That(result.Error!.ExceptionType, Is.EqualTo("UnverifiedResult"));
            Assert.That(result.Error.Message, Does.Contain("could not authenticate to the remote 'origin' to check the push").And.Contain("authentication failed"));
            Assert.That(result.Error.Message, Does.Not.Contain(wrong).And.Not.Contain(token));
            Assert.That(await DockerSandbox.GitAsync(_sandbox.Root, "--git-dir", _sandbox.Origin, "rev-parse", result.Branch!), Is.EqualTo(result.CommitId), "the container did push");
            Assert.That(server.Requests, Has.Some.EndsWith("-> 401"));
            Assert.That(logger.Collector.GetSnapshot().Select(r => r.Level), Has.Some.EqualTo(Microsoft.Extensions.Logging.LogLevel.Critical));
            var record = await _sandbox.Registry.GetTaskAsync(TaskKey.Of(_sandbox.Task()), CancellationToken.None);
            Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
        }
    }

    [Test]
    public async Task RunAsync_HostCheck_GetsTheSecretFilesAndWipesThemAfterwards()
    {
        var token = NewToken();
        File.WriteAllText(Path.Combine(_sandbox.SecretsPath, "git-token"), token + "\n");
        var options = _sandbox.Options(_image, ImplementsSubtraction);
        options.SecretsPath = _sandbox.SecretsPath;
        var reader = new RecordingReader(HostReader());
        using var environment = Create(options, new SecretMasker(), remoteBranches: reader);

        var result = await environment.RunAsync(new ExecutionRequest(_sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(reader.Calls, Is.EqualTo(1));
            Assert.That(reader.TokenSeen, Is.EqualTo(token));
            Assert.Throws<ObjectDisposedException>(() => reader.Secrets!.TryReveal("git-token", out _), "the host's credentials are wiped once checked");
        }
    }

    private static string NewToken() => "tkn" + Guid.NewGuid().ToString("N");

    /// <summary>Serves the sandbox's bare origin over smart HTTP behind Basic auth and points the host's slot at it.</summary>
    private async Task<GitHttpServer> StartHttpOriginAsync(string token)
    {
        var server = await GitHttpServer.StartAsync(_sandbox.Root, HttpUser, token);
        await DockerSandbox.GitAsync(_sandbox.Slot, "remote", "set-url", "origin", server.UrlOf("origin.git"));
        return server;
    }

    /// <summary>
    /// A container that reaches the origin only over HTTP: the server listens on the host's loopback, so the container
    /// shares the host's network; no bind mount of the bare origin; secrets only as files.
    /// </summary>
    private DockerOptions HttpOptions()
    {
        var options = _sandbox.Options(_image, ImplementsSubtraction);
        options.NetworkMode = "host";
        options.ExtraMounts.Clear();
        options.SecretsPath = _sandbox.SecretsPath;
        return options;
    }

    /// <summary>The host's git reader; its token variable is one nobody sets, so only the secret files count.</summary>
    private static GitRemoteBranchReader HostReader(Action<GitOptions>? configure = null)
    {
        var options = new GitOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1), TokenVariable = "NECROCODE_TEST_UNSET_" + Guid.NewGuid().ToString("N") };
        configure?.Invoke(options);
        return new GitRemoteBranchReader(
            Microsoft.Extensions.Options.Options.Create(new AgentRunnerOptions()), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, logger: null, new SecretMasker());
    }

    /// <summary>Passes the query on and records the secrets it was given.</summary>
    private sealed class RecordingReader(IRemoteBranchReader inner) : IRemoteBranchReader
    {
        public int Calls { get; private set; }

        public IRunSecrets? Secrets { get; private set; }

        public string? TokenSeen { get; private set; }

        public Task<string?> ReadBranchAsync(string slotPath, string branch, IRunSecrets secrets, CancellationToken cancellationToken)
        {
            Calls++;
            Secrets = secrets;
            TokenSeen = secrets.TryReveal("git-token", out var value) ? value : null;
            return inner.ReadBranchAsync(slotPath, branch, secrets, cancellationToken);
        }
    }
}

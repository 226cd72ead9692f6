using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Kiro;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Kiro.Tests;

public sealed partial class KiroCodingAgentTests
{
    private const string KiroKey = "kiro-mounted-7f3a9c1e5b";
    private const string GitToken = "git-mounted-0d8e2b6a4c";
    private const string OtherKey = "other-mounted-9a1c3e5f7b";

    /// <summary>
    /// Composes the runner as a host does (UseKiro, credentials from a secret-mount folder holding the Kiro key, the
    /// git token and another secret) and opens one run's credentials.
    /// </summary>
    private async Task<(ServiceProvider Services, RunCredentials Secrets)> ComposeWithMountedSecretsAsync(string mode)
    {
        var secrets = Directory.CreateDirectory(Path.Combine(_root, "secrets")).FullName;
        File.WriteAllText(Path.Combine(secrets, "kiro-api-key"), KiroKey + "\n");
        File.WriteAllText(Path.Combine(secrets, "git-token"), GitToken + "\n");
        File.WriteAllText(Path.Combine(secrets, "other-key"), OtherKey + "\n");
        Environment.SetEnvironmentVariable("KIRO_STANDIN_MODE", mode);
        Environment.SetEnvironmentVariable("KIRO_STANDIN_LOG", _argsLog);
        var services = new ServiceCollection();
        services.AddAgentRunner().UseKiro(o =>
        {
            o.Command = StandIn;
            o.ApiKeyVariable = "NECROCODE_TEST_KIRO_KEY";
            o.PassEnvironment.Add("KIRO_STANDIN_MODE");
            o.PassEnvironment.Add("KIRO_STANDIN_LOG");
        });
        services.Configure<CredentialOptions>(o =>
        {
            o.SecretDirectory = secrets;
            o.EnvironmentPrefix = "";
            o.Secrets.Add("git-token");
            o.OptionalSecrets.Add("other-key");
        });
        services.Configure<ProcessRunnerOptions>(o =>
        {
            o.InterruptGracePeriod = TimeSpan.FromSeconds(1);
            o.TerminateGracePeriod = TimeSpan.FromSeconds(1);
        });
        var provider = services.BuildServiceProvider();
        var credentials = await provider.GetRequiredService<RunCredentialsFactory>().OpenAsync(CancellationToken.None);
        return (provider, credentials);
    }

    [Test]
    public async Task ImplementAsync_ApiKeyInSecretMountFolder_ReachesKiroOnlyAsKiroApiKey()
    {
        var (services, secrets) = await ComposeWithMountedSecretsAsync("env");
        await using var _ = services;
        await using var __ = secrets;
        var agent = services.GetRequiredService<ICodingAgent>();

        var result = await agent.ImplementAsync(Request(new RecordingEventSink()) with { Secrets = secrets }, CancellationToken.None);

        var environment = File.ReadAllLines(Path.Combine(_workspace, "env.txt"));
        Assert.Multiple(() =>
        {
            Assert.That(agent, Is.InstanceOf<KiroCodingAgent>());
            Assert.That(result.Succeeded, Is.True, result.Error);
            Assert.That(environment.Where(l => l.Contains(KiroKey, StringComparison.Ordinal)), Is.EqualTo(new[] { "KIRO_API_KEY=" + KiroKey }));
            Assert.That(environment.Where(l => l.Contains(GitToken, StringComparison.Ordinal) || l.Contains(OtherKey, StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public async Task ImplementAsync_SecretAndRunnerVariableBothSet_SecretWins()
    {
        Environment.SetEnvironmentVariable("NECROCODE_TEST_KIRO_KEY", "kiro-from-runner-variable");
        var (services, secrets) = await ComposeWithMountedSecretsAsync("env");
        await using var _ = services;
        await using var __ = secrets;

        await services.GetRequiredService<ICodingAgent>().ImplementAsync(Request(new RecordingEventSink()) with { Secrets = secrets }, CancellationToken.None);

        var environment = File.ReadAllLines(Path.Combine(_workspace, "env.txt"));
        Assert.Multiple(() =>
        {
            Assert.That(environment, Does.Contain("KIRO_API_KEY=" + KiroKey));
            Assert.That(environment.Any(l => l.Contains("kiro-from-runner-variable", StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task ImplementAsync_MountedKeyPrintedByKiro_MaskedInOutput()
    {
        var (services, secrets) = await ComposeWithMountedSecretsAsync("success");
        await using var _ = services;
        await using var __ = secrets;
        var events = new RecordingEventSink();

        await services.GetRequiredService<ICodingAgent>().ImplementAsync(Request(events) with { Secrets = secrets }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(events.Lines, Does.Contain("key seen: ***"));
            Assert.That(string.Join("\n", events.Lines), Does.Not.Contain(KiroKey));
        });
    }

    [Test]
    public void Validate_SecretVariableNotAVariableName_Fails()
    {
        var options = new KiroOptions();
        options.SecretVariables["kiro-api-key"] = "KIRO-API-KEY";

        var result = new KiroOptionsConsistencyValidator().Validate(null, options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.Contain("KIRO-API-KEY"));
        });
    }
}

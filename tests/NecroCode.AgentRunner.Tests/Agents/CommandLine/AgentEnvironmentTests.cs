using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Agents.CommandLine;

[TestFixture]
[NonParallelizable] // sets process environment variables
public sealed class AgentEnvironmentTests
{
    private const string Runner = "NECROCODE_TEST_ENV_RUNNER";
    private const string RunnerKey = "NECROCODE_TEST_ENV_RUNNER_KEY";

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(Runner, null);
        Environment.SetEnvironmentVariable(RunnerKey, null);
    }

    private static AgentRequest Request(IRunSecrets? secrets = null) => new()
    {
        Task = new TaskContext { TaskId = "4.1", SpecName = "calc", Title = "Add" },
        WorkspacePath = "/work/space",
        Prompt = "p",
        Attempt = 3,
        Events = new RecordingEventSink(),
        Secrets = secrets ?? RunSecrets.None,
    };

    private static SecretMasker NewMasker() => new(Options.Create(new SecretMaskerOptions()), NullLogger<SecretMasker>.Instance);

    [Test]
    public void Build_Nothing_GivesOnlyTheTaskVariables()
    {
        var environment = AgentEnvironment.None.Build(Request(), NewMasker());

        Assert.That(environment, Is.EqualTo(new Dictionary<string, string?>
        {
            ["NECROCODE_TASK_ID"] = "4.1",
            ["NECROCODE_SPEC"] = "calc",
            ["NECROCODE_WORKSPACE"] = "/work/space",
            ["NECROCODE_ATTEMPT"] = "3",
        }));
    }

    [Test]
    public void Build_EverySourceForOneVariable_TheLaterSourceWins()
    {
        Environment.SetEnvironmentVariable(Runner, "passed");
        Environment.SetEnvironmentVariable(RunnerKey, "runner-key-0f3a5c7e9b");
        var settings = new AgentEnvironment
        {
            PassThrough = [Runner],
            ApiKeyFallbacks = [KeyValuePair.Create("A", RunnerKey), KeyValuePair.Create(Runner, RunnerKey)],
            Variables = [KeyValuePair.Create("A", "set"), KeyValuePair.Create("B", "set")],
            SecretVariables = [KeyValuePair.Create("b-secret", "B"), KeyValuePair.Create("task-secret", "NECROCODE_TASK_ID")],
        };
        var secrets = new MapSecrets(new Dictionary<string, string> { ["b-secret"] = "from-secret", ["task-secret"] = "ignored" });

        var environment = settings.Build(Request(secrets), NewMasker());

        Assert.Multiple(() =>
        {
            Assert.That(environment[Runner], Is.EqualTo("runner-key-0f3a5c7e9b"), "an API key fallback wins over a passed variable");
            Assert.That(environment["A"], Is.EqualTo("set"), "a set variable wins over an API key fallback");
            Assert.That(environment["B"], Is.EqualTo("from-secret"), "a secret wins over a set variable");
            Assert.That(environment["NECROCODE_TASK_ID"], Is.EqualTo("4.1"), "the task variables win over everything");
        });
    }

    [Test]
    public void Build_ApiKeyFallback_IsMaskedEvenWhenASecretReplacesIt()
    {
        Environment.SetEnvironmentVariable(RunnerKey, "runner-key-0f3a5c7e9b");
        var settings = new AgentEnvironment
        {
            ApiKeyFallbacks = [KeyValuePair.Create("AGENT_KEY", RunnerKey)],
            SecretVariables = [KeyValuePair.Create("agent-key", "AGENT_KEY")],
        };
        var masker = NewMasker();

        var environment = settings.Build(Request(new MapSecrets(new Dictionary<string, string> { ["agent-key"] = "secret-key-8d6b4a2c0e" })), masker);

        Assert.Multiple(() =>
        {
            Assert.That(environment["AGENT_KEY"], Is.EqualTo("secret-key-8d6b4a2c0e"));
            Assert.That(masker.Apply("runner-key-0f3a5c7e9b"), Is.EqualTo("***"));
        });
    }

    [Test]
    public void Build_UnsetAndEmptySources_AreLeftOut()
    {
        Environment.SetEnvironmentVariable(RunnerKey, "");
        var settings = new AgentEnvironment
        {
            PassThrough = [Runner],
            ApiKeyFallbacks = [KeyValuePair.Create("AGENT_KEY", RunnerKey)],
            SecretVariables = [KeyValuePair.Create("agent-key", ""), KeyValuePair.Create("missing", "MISSING")],
        };

        var environment = settings.Build(Request(new MapSecrets(new Dictionary<string, string> { ["agent-key"] = "v" })), NewMasker());

        Assert.That(environment.Keys, Is.EquivalentTo(new[] { "NECROCODE_TASK_ID", "NECROCODE_SPEC", "NECROCODE_WORKSPACE", "NECROCODE_ATTEMPT" }));
    }

    private sealed class MapSecrets(IReadOnlyDictionary<string, string> values) : IRunSecrets
    {
        public IReadOnlyCollection<string> Names => [.. values.Keys];

        public bool TryReveal(string name, [NotNullWhen(true)] out string? value) => values.TryGetValue(name, out value);
    }
}

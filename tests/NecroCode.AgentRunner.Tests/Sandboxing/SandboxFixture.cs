using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Sandboxing;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Sandboxing;

/// <summary>
/// A folder laid out like a runner's machine — a workspace, the runner's state (a registry file), a secret folder — and a
/// process runner whose sandbox confines processes to the workspace with one mechanism.
/// </summary>
internal sealed class SandboxFixture : IDisposable
{
    public const string SecretValue = "canary-secret-5e1f0c";
    public const string RegistryText = "registry-content-77ab";

    private readonly TempFolder _root = new("necrocode-sandbox-test-");

    public SandboxFixture(SandboxMode mode, Action<SandboxOptions>? configure = null)
    {
        Workspace = _root.CreateFolder("workspace");
        State = _root.CreateFolder("state");
        Secrets = _root.CreateFolder("secrets");
        File.WriteAllText(Path.Combine(State, "registry.json"), RegistryText);
        File.WriteAllText(Path.Combine(Secrets, "token"), SecretValue);
        Options = new SandboxOptions { Mode = mode };
        configure?.Invoke(Options);
        Sandbox = new ProcessSandbox(Options, [State, Secrets], NullLogger.Instance);
        Runner = new ProcessRunner(
            Microsoft.Extensions.Options.Options.Create(new ProcessRunnerOptions { InterruptGracePeriod = TimeSpan.FromSeconds(1), TerminateGracePeriod = TimeSpan.FromSeconds(1) }),
            TimeProvider.System,
            NullLogger<ProcessRunner>.Instance,
            null,
            Sandbox);
    }

    /// <summary>The folder beside the workspace: what <c>../</c> reaches.</summary>
    public string Outside => _root.Path;

    public string Workspace { get; }

    public string State { get; }

    public string Secrets { get; }

    public SandboxOptions Options { get; }

    public ProcessSandbox Sandbox { get; }

    public ProcessRunner Runner { get; }

    /// <summary>Fails (on CI) or ignores the test when <paramref name="mode"/> has no mechanism on this machine.</summary>
    public static void RequireMechanism(SandboxMode mode, SandboxNetwork network = SandboxNetwork.Any)
    {
        var probe = new SandboxProbe("bwrap");
        var problem = mode switch
        {
            SandboxMode.Landlock => probe.LandlockProblem(network),
            SandboxMode.Bubblewrap => probe.BubblewrapProblem ?? (network == SandboxNetwork.Hosts ? probe.SocatProblem : null),
            _ => null,
        };
        if (problem is null)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"The {mode} sandbox is not available on this CI machine: {problem}.");
        }

        Assert.Ignore($"The {mode} sandbox is not available here: {problem}.");
    }

    /// <summary>Runs <paramref name="script"/> with <c>sh -c</c> in the workspace, confined.</summary>
    public Task<ProcessResult> RunAsync(string script, IRunEventSink? events = null, bool inheritEnvironment = true) =>
        Runner.RunAsync(
            new ProcessSpec
            {
                FileName = "/bin/sh",
                Arguments = ["-c", script],
                WorkingDirectory = Workspace,
                ConfinedTo = Workspace,
                InheritEnvironment = inheritEnvironment,
                Timeout = TimeSpan.FromMinutes(2),
                StepName = "sandboxed",
                Events = events,
            },
            CancellationToken.None);

    public void Dispose() => _root.Dispose();
}

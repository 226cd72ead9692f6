namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>A fixture whose every test gets a <see cref="KubernetesSandbox"/> of its own, by default on the fake cluster.</summary>
public abstract class SandboxFixture
{
    internal KubernetesSandbox Sandbox { get; private set; } = null!;

    [SetUp]
    public async Task StartSandboxAsync() => Sandbox = await StartAsync();

    [TearDown]
    public async Task StopSandboxAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
            Sandbox = null!;
        }
    }

    /// <summary>Starts the sandbox of one test.</summary>
    internal virtual Task<KubernetesSandbox> StartAsync() => KubernetesSandbox.StartAsync();
}

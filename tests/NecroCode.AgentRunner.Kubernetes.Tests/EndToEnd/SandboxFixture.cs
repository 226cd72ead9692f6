namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>A fixture whose every test gets a <see cref="KubernetesSandbox"/> of its own.</summary>
public abstract class SandboxFixture
{
    internal KubernetesSandbox Sandbox { get; private set; } = null!;

    [SetUp]
    public async Task StartSandboxAsync() => Sandbox = await KubernetesSandbox.StartAsync();

    [TearDown]
    public async Task StopSandboxAsync()
    {
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync();
        }
    }
}

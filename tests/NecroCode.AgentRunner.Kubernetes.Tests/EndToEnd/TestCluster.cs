using k8s;

namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>
/// The cluster a <see cref="KubernetesSandbox"/> runs its Jobs on: the fake one in this process
/// (<see cref="FakeTestCluster"/>) or a real one named by <c>KUBECONFIG</c> (<see cref="RealCluster.RealTestCluster"/>).
/// The end-to-end cases see only this, so the same cases run on both.
/// </summary>
internal abstract class TestCluster : IAsyncDisposable
{
    /// <summary>The kubeconfig the host under test reads.</summary>
    public abstract string KubeconfigPath { get; }

    /// <summary>The kubeconfig context to use; null for its current context.</summary>
    public abstract string? Context { get; }

    /// <summary>A client for arrangements and assertions.</summary>
    public abstract IKubernetes Client { get; }

    /// <summary>The namespace the sandbox's Jobs run in.</summary>
    public abstract string Namespace { get; }

    /// <summary>Deletes a pod as something outside the run would (<c>kubectl delete pod --grace-period=0</c>).</summary>
    /// <param name="name">The pod's name.</param>
    /// <returns>A task.</returns>
    public abstract Task DeletePodFromOutsideAsync(string name);

    /// <summary>What still runs of the sandbox's pods: engine containers on the fake cluster, pods not yet gone on a real one.</summary>
    /// <returns>Their names.</returns>
    public abstract Task<IReadOnlyList<string>> StillRunningAsync();

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}

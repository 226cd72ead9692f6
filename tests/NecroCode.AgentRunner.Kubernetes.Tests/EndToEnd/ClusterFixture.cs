using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Kubernetes.Manifests;

namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>What the end-to-end tests share: a host composed for the sandbox, its registry, and waits on the sandbox's pods.</summary>
public abstract class ClusterFixture : SandboxFixture
{
    /// <summary>An agent that reads its prompt, says it is thinking and sleeps two minutes.</summary>
    internal const string Sleeps = "cat > /dev/null\necho 'agent: thinking'\nsleep 120\n";

    private ServiceProvider? _host;

    internal (IExecutionEnvironment Environment, KubernetesOptions Options) Environment(string agent, Action<KubernetesOptions>? configure = null)
    {
        _host = Sandbox.Host(agent, configure);
        return (_host.GetRequiredService<IExecutionEnvironment>(), _host.GetRequiredService<Microsoft.Extensions.Options.IOptions<KubernetesOptions>>().Value);
    }

    internal ITaskRegistry Registry() => _host!.GetRequiredService<ITaskRegistry>();

    internal async Task AssertFailedAsync(RunnerResult result, RunOutcome outcome, string code, string words)
    {
        var record = await Registry().GetTaskAsync(TaskKey.Of(Sandbox.Task()), CancellationToken.None);
        var events = await Registry().GetEventsAsync(TaskKey.Of(Sandbox.Task()), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Outcome, Is.EqualTo(outcome), result.Error?.Message);
            Assert.That(result.Error?.ExceptionType, Is.EqualTo(code), result.Error?.Message);
            Assert.That(result.Error?.Message, Does.Contain(words));
            Assert.That(record?.State, Is.EqualTo(TaskState.Failed));
            Assert.That(events.Select(e => e.Type).LastOrDefault(), Is.EqualTo(TaskEventTypes.TaskFailed));
        }
    }

    /// <summary>The sandbox's Jobs (those the runner labelled; a real cluster's namespace may hold others).</summary>
    internal async Task<IList<V1Job>> JobsAsync() =>
        (await Sandbox.Cluster.Client.BatchV1.ListNamespacedJobAsync(Sandbox.Namespace, labelSelector: JobLabels.Job)).Items;

    /// <summary>The runner's Secrets in the sandbox's namespace.</summary>
    internal async Task<IList<V1Secret>> SecretsAsync() =>
        (await Sandbox.Cluster.Client.CoreV1.ListNamespacedSecretAsync(Sandbox.Namespace, labelSelector: JobLabels.Job)).Items;

    internal async Task<V1Pod> WaitForPodAsync(string phase)
    {
        // A real cluster may first pull the image: up to three minutes.
        for (var i = 0; i < 720; i++)
        {
            var pods = await Sandbox.Cluster.Client.CoreV1.ListNamespacedPodAsync(Sandbox.Namespace, labelSelector: JobLabels.Job);
            if (pods.Items.FirstOrDefault(p => p.Status?.Phase == phase) is { } pod)
            {
                return pod;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"No pod of the Job reached {phase} within three minutes.");
        return null!;
    }
}

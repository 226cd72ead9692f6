using k8s;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>Manifests and waits the fake cluster's own tests share.</summary>
internal static class ClusterTestJobs
{
    public const string Namespace = "default";

    public static V1Job Job(string name, string image, IList<string> command, Action<V1PodSpec>? pod = null, Action<V1JobSpec>? spec = null)
    {
        var podSpec = new V1PodSpec
        {
            RestartPolicy = "Never",
            TerminationGracePeriodSeconds = 1,
            Containers = [new V1Container { Name = "main", Image = image, Command = command }],
            // The kubelet tests' node is tainted dedicated=runners:NoSchedule.
            Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "runners", Effect = "NoSchedule" }],
        };
        pod?.Invoke(podSpec);
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = "fake-cluster-test" } },
            Spec = new V1JobSpec { BackoffLimit = 0, Template = new V1PodTemplateSpec { Spec = podSpec } },
        };
        spec?.Invoke(job.Spec);
        return job;
    }

    /// <summary>Watches the resource until <paramref name="done"/> holds (list first, then watch from its version).</summary>
    public static async Task<V1Job> WaitForJobAsync(IKubernetes client, string name, Func<V1Job, bool> done, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var list = await client.BatchV1.ListNamespacedJobAsync(Namespace, fieldSelector: $"metadata.name={name}", cancellationToken: cancel.Token);
            if (list.Items.FirstOrDefault() is { } current && done(current))
            {
                return current;
            }

            var watch = client.BatchV1.WatchListNamespacedJobAsync(Namespace, fieldSelector: $"metadata.name={name}", resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 10, cancellationToken: cancel.Token);
            await foreach (var (_, job) in watch)
            {
                if (done(job))
                {
                    return job;
                }
            }
        }
    }

    /// <summary>Polls the pods of a Job until <paramref name="done"/> holds for one of them.</summary>
    public static async Task<V1Pod> WaitForPodAsync(IKubernetes client, string job, Func<V1Pod, bool> done, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var pods = await client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: $"job-name={job}", cancellationToken: cancel.Token);
            if (pods.Items.FirstOrDefault(done) is { } pod)
            {
                return pod;
            }

            await Task.Delay(100, cancel.Token);
        }
    }

    public static bool HasCondition(V1Job job, string type) => job.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;
}

using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>Patches, replaces, deletion policies, TTL and faults of the API server, through <see cref="IKubernetes"/> (no kubelet).</summary>
[TestFixture]
public sealed class FakeKubernetesClusterUpdateTests : ApiClusterTestBase
{
    [Test]
    public async Task PatchSecret_MergePatchAddsOwner_DeletingTheJobRemovesIt()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "later-owned" } }, "default");
        var job = await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("owner", "img:1", ["true"]), "default");
        var patch = $$$"""{"metadata":{"ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"owner","uid":"{{{job.Metadata.Uid}}}"}]}}""";

        var patched = await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "later-owned", "default");
        await Client.BatchV1.DeleteNamespacedJobAsync("owner", "default", propagationPolicy: "Background");
        await ClusterTestJobs.WaitUntilAsync(async () => (await Client.CoreV1.ListNamespacedSecretAsync("default")).Items.Count == 0);

        Assert.That(patched.Metadata.OwnerReferences.Single().Uid, Is.EqualTo(job.Metadata.Uid));
    }

    [Test]
    public async Task ReplaceSecret_WithStaleResourceVersion_Answers409Conflict()
    {
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "versioned" } }, "default");
        created.Metadata.Labels = new Dictionary<string, string> { ["a"] = "1" };
        await Client.CoreV1.ReplaceNamespacedSecretAsync(created, "versioned", "default");

        var error = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReplaceNamespacedSecretAsync(created, "versioned", "default"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(KubeJson.Deserialize<V1Status>(error.Response.Content).Reason, Is.EqualTo("Conflict"));
        });
    }

    [Test]
    public async Task DeleteJob_Foreground_JobGoesAfterItsPods()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("fg", "img:1", ["true"]), "default");
        await ClusterTestJobs.WaitForPodAsync(Client, "fg", _ => true);

        await Client.BatchV1.DeleteNamespacedJobAsync("fg", "default", propagationPolicy: "Foreground");
        await ClusterTestJobs.WaitUntilAsync(async () => (await Client.BatchV1.ListNamespacedJobAsync("default")).Items.Count == 0);

        Assert.That((await Client.CoreV1.ListNamespacedPodAsync("default")).Items, Is.Empty);
    }

    [Test]
    public async Task DeleteJob_WithoutPolicy_OrphansItsPodsAsBatchV1Does()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("orphaning", "img:1", ["true"]), "default");
        await ClusterTestJobs.WaitForPodAsync(Client, "orphaning", _ => true);

        await Client.BatchV1.DeleteNamespacedJobAsync("orphaning", "default");
        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "orphaning", p => p.Metadata.OwnerReferences is null or { Count: 0 });

        Assert.That(pod.Metadata.Labels["job-name"], Is.EqualTo("orphaning"));
    }

    [Test]
    public async Task Job_TtlAfterFinished_IsDeleted()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("short-lived", "img:1", ["true"], spec: s => { s.ActiveDeadlineSeconds = 1; s.TtlSecondsAfterFinished = 0; }), "default");

        await ClusterTestJobs.WaitUntilAsync(async () => (await Client.BatchV1.ListNamespacedJobAsync("default")).Items.Count == 0);
        var events = await ClusterTestJobs.WaitForEventsAsync(Client, "involvedObject.name=short-lived,reason=DeadlineExceeded");

        Assert.That(events.Single().Type, Is.EqualTo("Warning"));
    }

    [Test]
    public async Task CloseWatches_EndsTheStreamWithoutError()
    {
        var list = await Client.BatchV1.ListNamespacedJobAsync("default");
        Exception? error = null;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watched = Task.Run(async () =>
        {
            var seen = 0;
            await foreach (var _ in Client.BatchV1.WatchListNamespacedJobAsync("default", resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 60, onError: e => error = e))
            {
                seen++;
                first.TrySetResult();
            }

            return seen;
        });
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("seen", "img:1", ["true"]), "default");
        await first.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Cluster.Faults.CloseWatches();
        var seen = await watched.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.GreaterThan(0));
            Assert.That(error, Is.Null);
        });
    }

    [Test]
    public async Task FailNext_503OnList_AnswersStatusThenServes()
    {
        Cluster.Faults.FailNext("list", "pods", 503, count: 2);

        var first = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListNamespacedPodAsync("default"));
        var second = Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListNamespacedPodAsync("default"));
        var third = await Client.CoreV1.ListNamespacedPodAsync("default");

        Assert.Multiple(() =>
        {
            Assert.That(first!.Response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(KubeJson.Deserialize<V1Status>(second!.Response.Content).Reason, Is.EqualTo("ServiceUnavailable"));
            Assert.That(third.Items, Is.Empty);
        });
    }

    [Test]
    public async Task DeleteCollection_ByLabel_DeletesOnlyMatchingSecrets()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "mine", Labels = new Dictionary<string, string> { ["owner"] = "a" } } }, "default");
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "theirs", Labels = new Dictionary<string, string> { ["owner"] = "b" } } }, "default");

        await Client.CoreV1.DeleteCollectionNamespacedSecretAsync("default", labelSelector: "owner in (a, c)");

        var left = await Client.CoreV1.ListNamespacedSecretAsync("default", labelSelector: "owner,owner!=c");
        Assert.That(left.Items.Select(s => s.Metadata.Name), Is.EqualTo(new[] { "theirs" }));
    }

    [Test]
    public async Task Job_BackoffLimit1_ReplacesTheFirstFailedPodThenFails()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("retried", "img:1", ["true"], spec: s => s.BackoffLimit = 1), "default");

        var first = await ClusterTestJobs.WaitForPodAsync(Client, "retried", _ => true);
        await FailPodAsync(first.Metadata.Name, exitCode: 1);
        var second = await ClusterTestJobs.WaitForPodAsync(Client, "retried", p => p.Metadata.Name != first.Metadata.Name);
        await FailPodAsync(second.Metadata.Name, exitCode: 1);
        var failed = await ClusterTestJobs.WaitForJobAsync(Client, "retried", j => ClusterTestJobs.HasCondition(j, "Failed"));

        Assert.Multiple(() =>
        {
            Assert.That(failed.Status.Failed, Is.EqualTo(2));
            Assert.That(failed.Status.Conditions.Single(c => c.Type == "Failed").Reason, Is.EqualTo("BackoffLimitExceeded"));
        });
    }

    [Test]
    public async Task Job_PodFailurePolicyIgnoresDisruption_ReplacesThePodWithoutCounting()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("disrupted", "img:1", ["true"], spec: s => s.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules = [new V1PodFailurePolicyRule { Action = "Ignore", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }] }],
        }), "default");

        var first = await ClusterTestJobs.WaitForPodAsync(Client, "disrupted", _ => true);
        await FailPodAsync(first.Metadata.Name, exitCode: 137, disrupted: true);
        var second = await ClusterTestJobs.WaitForPodAsync(Client, "disrupted", p => p.Metadata.Name != first.Metadata.Name);
        var job = await Client.BatchV1.ReadNamespacedJobStatusAsync("disrupted", "default");

        Assert.Multiple(() =>
        {
            Assert.That(second.Status.Phase, Is.EqualTo("Pending"));
            Assert.That(job.Status.Failed, Is.Null);
            Assert.That(ClusterTestJobs.HasCondition(job, "Failed"), Is.False);
        });
    }

    /// <summary>Reports a pod failed through <c>pods/status</c>, as a kubelet does.</summary>
    private async Task FailPodAsync(string name, int exitCode, bool disrupted = false)
    {
        var condition = disrupted ? ",\"conditions\":[{\"type\":\"DisruptionTarget\",\"status\":\"True\",\"reason\":\"TerminationByKubelet\"}]" : "";
        var patch = $"{{\"status\":{{\"phase\":\"Failed\"{condition},\"containerStatuses\":[{{\"name\":\"main\",\"image\":\"img:1\",\"imageID\":\"\",\"ready\":false,\"restartCount\":0,\"state\":{{\"terminated\":{{\"exitCode\":{exitCode},\"reason\":\"Error\"}}}}}}]}}}}";
        await Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, "default");
    }
}

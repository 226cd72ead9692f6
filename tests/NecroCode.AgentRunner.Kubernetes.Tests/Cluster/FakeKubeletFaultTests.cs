using k8s;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>Log streaming and the faults a running pod can meet, on the real engine, through the Kubernetes client.</summary>
[TestFixture]
[Category("Integration")]
public sealed class FakeKubeletFaultTests : KubeletTestBase
{
    [Test]
    public async Task PodLog_TimestampsAndTailLines_AsTheKubeletServesThem()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("lines", Image, ["sh", "-c", "echo one; echo two; echo three"]), "default");
        await ClusterTestJobs.WaitForJobAsync(Client, "lines", j => ClusterTestJobs.HasCondition(j, "Complete"));
        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "lines", _ => true);

        var tail = await ReadLogAsync(pod, tailLines: 1);
        var stamped = await ReadLogAsync(pod, timestamps: true);

        Assert.Multiple(() =>
        {
            Assert.That(tail, Is.EqualTo("three\n"));
            Assert.That(stamped.TrimEnd('\n').Split('\n'), Has.All.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z (one|two|three)$"));
        });
    }

    [Test]
    public async Task DropLogStreams_FollowedLogBreaks_ThenReconnects()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("talker", Image, ["sh", "-c", "echo first; sleep 300"]), "default");
        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "talker", p => p.Status?.Phase == "Running");
        using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, "default", follow: true);
        using var reader = new StreamReader(stream);
        var first = await reader.ReadLineAsync();

        Cluster.Faults.DropLogStreams();
        var broken = Assert.CatchAsync<IOException>(async () => await reader.ReadToEndAsync());
        var again = await ReadLogAsync(pod);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo("first"));
            Assert.That(broken, Is.Not.Null);
            Assert.That(again, Is.EqualTo("first\n"));
        });
    }

    [Test]
    public async Task DeletePodFromOutside_RunningPod_ContainerGoesAndJobFails()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("victim", Image, ["sleep", "300"]), "default");
        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "victim", p => p.Status?.Phase == "Running");

        Cluster.Faults.DeletePodFromOutside("default", pod.Metadata.Name);
        var failed = await ClusterTestJobs.WaitForJobAsync(Client, "victim", j => ClusterTestJobs.HasCondition(j, "Failed"));
        await ClusterTestJobs.WaitUntilAsync(async () => (await Cluster.RunningContainersAsync()).Count == 0);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Status.Conditions.Single(c => c.Type == "Failed").Reason, Is.EqualTo("BackoffLimitExceeded"));
            Assert.That(failed.Status.Failed, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task LivenessProbe_Failing_KillsTheContainer()
    {
        var job = ClusterTestJobs.Job("unhealthy", Image, ["sleep", "300"], pod =>
            pod.Containers[0].LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["false"] }, PeriodSeconds = 1, FailureThreshold = 1 });
        await Client.BatchV1.CreateNamespacedJobAsync(job, "default");

        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "unhealthy", p => p.Status?.Phase == "Failed");
        var events = await ClusterTestJobs.WaitForEventsAsync(Client, $"involvedObject.name={pod.Metadata.Name},reason=Unhealthy");

        Assert.Multiple(() =>
        {
            Assert.That(pod.Status.ContainerStatuses.Single().State.Terminated.ExitCode, Is.EqualTo(137));
            Assert.That(events.Single().Message, Does.StartWith("Liveness probe failed"));
        });
    }

    [Test]
    public async Task ReadinessProbe_Passing_MakesThePodReady()
    {
        var job = ClusterTestJobs.Job("ready", Image, ["sleep", "300"], pod =>
            pod.Containers[0].ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["true"] }, PeriodSeconds = 1 });
        await Client.BatchV1.CreateNamespacedJobAsync(job, "default");

        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "ready", p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        var status = await ClusterTestJobs.WaitForJobAsync(Client, "ready", j => j.Status?.Ready == 1);

        Assert.Multiple(() =>
        {
            Assert.That(pod.Status.ContainerStatuses.Single().Ready, Is.True);
            Assert.That(status.Status.Active, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RestartOnFailure_CrashingContainer_BacksOffThenExceedsBackoffLimit()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("crashing", Image, ["sh", "-c", "exit 1"], pod => pod.RestartPolicy = "OnFailure", spec: s => s.BackoffLimit = 1), "default");

        var backingOff = await ClusterTestJobs.WaitForPodAsync(Client, "crashing", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "CrashLoopBackOff");
        var failed = await ClusterTestJobs.WaitForJobAsync(Client, "crashing", j => ClusterTestJobs.HasCondition(j, "Failed"));

        Assert.Multiple(() =>
        {
            Assert.That(backingOff.Status.ContainerStatuses.Single().LastState.Terminated.ExitCode, Is.EqualTo(1));
            Assert.That(failed.Status.Conditions.Single(c => c.Type == "Failed").Reason, Is.EqualTo("BackoffLimitExceeded"));
        });
    }
}

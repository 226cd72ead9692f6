using Docker.DotNet.Models;
using k8s;
using k8s.Models;
using NecroCode.AgentRunner.Docker.Tests;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>Pods of Jobs run by the stand-in kubelet on the real Docker engine, seen only through <see cref="IKubernetes"/>.</summary>
[TestFixture]
[Category("Integration")]
public sealed class FakeKubeletTests
{
    private FakeKubernetesCluster _cluster = null!;
    private string _image = null!;

    private IKubernetes Client => _cluster.Client;

    [SetUp]
    public async Task StartAsync()
    {
        _image = await DockerTestEngine.RequireImageAsync();
        var options = new FakeClusterOptions { DockerEndpoint = new Uri(DockerTestEngine.Endpoint) };
        options.NodeLabels["pool"] = "general";
        options.NodeTaints.Add(new V1Taint { Key = "dedicated", Value = "runners", Effect = "NoSchedule" });
        _cluster = await FakeKubernetesCluster.StartAsync(options);
    }

    [TearDown]
    public async Task StopAsync()
    {
        var instance = _cluster.InstanceId;
        await _cluster.DisposeAsync();
        using var docker = DockerTestEngine.CreateClient();
        var left = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"necrocode.fake-cluster={instance}"] = true } },
        });
        Assert.That(left, Is.Empty, "the cluster left containers in the engine");
    }

    [Test]
    public async Task Job_PrintingMountedSecret_CompletesWithItsLog()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "creds" }, StringData = new Dictionary<string, string> { ["token"] = "s3cr3t" } }, "default");
        var job = ClusterTestJobs.Job("reads-secret", _image, ["sh", "-c", "cat /etc/creds/token; echo; echo done"], pod =>
        {
            pod.Volumes = [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "creds", DefaultMode = 256 } }];
            pod.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "creds", MountPath = "/etc/creds" }];
        });
        await Client.BatchV1.CreateNamespacedJobAsync(job, "default");

        var finished = await ClusterTestJobs.WaitForJobAsync(Client, "reads-secret", j => ClusterTestJobs.HasCondition(j, "Complete") || ClusterTestJobs.HasCondition(j, "Failed"));
        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "reads-secret", _ => true);
        var log = await ReadLogAsync(pod);

        Assert.Multiple(() =>
        {
            Assert.That(ClusterTestJobs.HasCondition(finished, "Complete"), Is.True);
            Assert.That(finished.Status.Succeeded, Is.EqualTo(1));
            Assert.That(finished.Status.CompletionTime, Is.Not.Null);
            Assert.That(pod.Status.Phase, Is.EqualTo("Succeeded"));
            Assert.That(pod.Status.ContainerStatuses.Single().State.Terminated.Reason, Is.EqualTo("Completed"));
            Assert.That(log, Is.EqualTo("s3cr3t\ndone\n"));
        });
    }

    [Test]
    public async Task Job_ExitCode3_FailsThroughPodFailurePolicy()
    {
        var job = ClusterTestJobs.Job("exits-3", _image, ["sh", "-c", "exit 3"], spec: s => s.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules =
            [
                new V1PodFailurePolicyRule { Action = "Ignore", OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget" }] },
                new V1PodFailurePolicyRule { Action = "FailJob", OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { ContainerName = "main", OperatorProperty = "In", Values = [3] } },
            ],
        });
        await Client.BatchV1.CreateNamespacedJobAsync(job, "default");

        var failed = await ClusterTestJobs.WaitForJobAsync(Client, "exits-3", j => ClusterTestJobs.HasCondition(j, "Failed"));
        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "exits-3", _ => true);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Status.Conditions.Single(c => c.Type == "Failed").Reason, Is.EqualTo("PodFailurePolicy"));
            Assert.That(failed.Status.Conditions.Single(c => c.Type == "Failed").Message, Does.Contain("failed with exit code 3 matching FailJob rule at index 1"));
            Assert.That(pod.Status.ContainerStatuses.Single().State.Terminated.ExitCode, Is.EqualTo(3));
            Assert.That(pod.Status.ContainerStatuses.Single().State.Terminated.Reason, Is.EqualTo("Error"));
        });
    }

    [Test]
    public async Task Job_OverMemoryLimit_ContainerIsOOMKilled()
    {
        var job = ClusterTestJobs.Job("hungry", _image, ["tail", "/dev/zero"], pod =>
            pod.Containers[0].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("32Mi") } });
        await Client.BatchV1.CreateNamespacedJobAsync(job, "default");

        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "hungry", p => p.Status?.Phase == "Failed");
        var failed = await ClusterTestJobs.WaitForJobAsync(Client, "hungry", j => ClusterTestJobs.HasCondition(j, "Failed"));

        Assert.Multiple(() =>
        {
            Assert.That(pod.Status.ContainerStatuses.Single().State.Terminated.Reason, Is.EqualTo("OOMKilled"));
            Assert.That(pod.Status.ContainerStatuses.Single().State.Terminated.ExitCode, Is.EqualTo(137));
            Assert.That(failed.Status.Conditions.Single(c => c.Type == "Failed").Reason, Is.EqualTo("BackoffLimitExceeded"));
        });
    }

    [Test]
    public async Task Job_PastActiveDeadline_FailsAndItsContainerIsGone()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("slow", _image, ["sleep", "300"], spec: s => s.ActiveDeadlineSeconds = 2), "default");
        await ClusterTestJobs.WaitForPodAsync(Client, "slow", p => p.Status?.Phase == "Running");

        var failed = await ClusterTestJobs.WaitForJobAsync(Client, "slow", j => ClusterTestJobs.HasCondition(j, "Failed"));
        await WaitUntilAsync(async () => (await _cluster.RunningContainersAsync()).Count == 0);

        Assert.Multiple(() =>
        {
            Assert.That(failed.Status.Conditions.Single(c => c.Type == "Failed").Reason, Is.EqualTo("DeadlineExceeded"));
            Assert.That(failed.Status.Conditions.Single(c => c.Type == "Failed").Message, Is.EqualTo("Job was active longer than specified deadline"));
        });
    }

    [Test]
    public async Task Job_WithMissingImage_PodWaitsInImagePullBackOff()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("no-image", "necrocode-no-such-image:0.0.0", ["true"]), "default");

        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "no-image", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "ImagePullBackOff");
        var events = await Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={pod.Metadata.Name}");

        Assert.Multiple(() =>
        {
            Assert.That(pod.Status.Phase, Is.EqualTo("Pending"));
            Assert.That(events.Items.Select(e => e.Message), Has.Some.StartsWith("Failed to pull image \"necrocode-no-such-image:0.0.0\""));
            Assert.That(events.Items.Select(e => e.Message), Has.Some.EqualTo("Error: ErrImagePull"));
            Assert.That(events.Items.Select(e => e.Message), Has.Some.EqualTo("Error: ImagePullBackOff"));
        });
    }

    [Test]
    public async Task Job_WithUnmatchedNodeSelector_IsUnschedulable()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("nowhere", _image, ["true"], pod => pod.NodeSelector = new Dictionary<string, string> { ["pool"] = "gpu" }), "default");

        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "nowhere", p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled") == true);
        var events = await Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={pod.Metadata.Name},reason=FailedScheduling");

        var scheduled = pod.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Multiple(() =>
        {
            Assert.That(scheduled.Status, Is.EqualTo("False"));
            Assert.That(scheduled.Reason, Is.EqualTo("Unschedulable"));
            Assert.That(scheduled.Message, Does.StartWith("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."));
            Assert.That(events.Items.Single().Type, Is.EqualTo("Warning"));
        });
    }

    [Test]
    public async Task Job_NotToleratingTheTaint_IsUnschedulable()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("tainted", _image, ["true"], pod => pod.Tolerations = null), "default");

        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "tainted", p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled") == true);

        Assert.That(pod.Status.Conditions.Single(c => c.Type == "PodScheduled").Message, Does.Contain("1 node(s) had untolerated taint {dedicated: runners}"));
    }

    [Test]
    public async Task DeleteJob_Background_RemovesPodSecretAndContainer()
    {
        var job = await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("doomed", _image, ["sleep", "300"]), "default");
        var owner = new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "doomed", Uid = job.Metadata.Uid };
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "doomed-creds", OwnerReferences = [owner] } }, "default");
        await ClusterTestJobs.WaitForPodAsync(Client, "doomed", p => p.Status?.Phase == "Running");

        await Client.BatchV1.DeleteNamespacedJobAsync("doomed", "default", propagationPolicy: "Background");
        await WaitUntilAsync(async () => (await Client.CoreV1.ListNamespacedPodAsync("default")).Items.Count == 0 && (await _cluster.RunningContainersAsync()).Count == 0);

        var secrets = await Client.CoreV1.ListNamespacedSecretAsync("default");
        Assert.That(secrets.Items, Is.Empty);
    }

    [Test]
    public async Task Pod_WithRestrictedSecurity_RunsAsItsUserOnReadOnlyRoot()
    {
        var job = ClusterTestJobs.Job("restricted", _image, ["sh", "-c", "id -u; touch /work/x && echo work-writable; touch /x 2>/dev/null || echo root-read-only; echo $GREETING"], pod =>
        {
            pod.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 1000, RunAsGroup = 1000 };
            pod.Volumes = [new V1Volume { Name = "work", EmptyDir = new V1EmptyDirVolumeSource() }];
            var container = pod.Containers[0];
            container.VolumeMounts = [new V1VolumeMount { Name = "work", MountPath = "/work" }];
            container.Env = [new V1EnvVar { Name = "GREETING", Value = "hello" }];
            container.SecurityContext = new V1SecurityContext { ReadOnlyRootFilesystem = true, AllowPrivilegeEscalation = false, Capabilities = new V1Capabilities { Drop = ["ALL"] } };
        });
        await Client.BatchV1.CreateNamespacedJobAsync(job, "default");

        await ClusterTestJobs.WaitForJobAsync(Client, "restricted", j => ClusterTestJobs.HasCondition(j, "Complete") || ClusterTestJobs.HasCondition(j, "Failed"));
        var log = await ReadLogAsync(await ClusterTestJobs.WaitForPodAsync(Client, "restricted", _ => true));

        Assert.That(log, Is.EqualTo("1000\nwork-writable\nroot-read-only\nhello\n"));
    }

    [Test]
    public async Task Pod_WithMissingSecretKey_WaitsInCreateContainerConfigError()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "partial" }, StringData = new Dictionary<string, string> { ["a"] = "1" } }, "default");
        var job = ClusterTestJobs.Job("no-key", _image, ["true"], pod =>
            pod.Containers[0].Env = [new V1EnvVar { Name = "B", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "partial", Key = "b" } } }]);
        await Client.BatchV1.CreateNamespacedJobAsync(job, "default");

        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "no-key", p => p.Status?.ContainerStatuses?.SingleOrDefault()?.State?.Waiting?.Reason == "CreateContainerConfigError");

        Assert.That(pod.Status.ContainerStatuses.Single().State.Waiting.Message, Is.EqualTo("couldn't find key b in Secret default/partial"));
    }

    [Test]
    public async Task EvictPod_RunningPod_FailsWithEvictedAndDisruptionTarget()
    {
        await Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("evicted", _image, ["sleep", "300"]), "default");
        var running = await ClusterTestJobs.WaitForPodAsync(Client, "evicted", p => p.Status?.Phase == "Running");

        _cluster.Faults.EvictPod("default", running.Metadata.Name);
        var pod = await ClusterTestJobs.WaitForPodAsync(Client, "evicted", p => p.Status?.ContainerStatuses?.Single().State?.Terminated is not null);

        Assert.Multiple(() =>
        {
            Assert.That(pod.Status.Phase, Is.EqualTo("Failed"));
            Assert.That(pod.Status.Reason, Is.EqualTo("Evicted"));
            Assert.That(pod.Status.Conditions.Single(c => c.Type == "DisruptionTarget").Status, Is.EqualTo("True"));
        });
    }

    private async Task<string> ReadLogAsync(V1Pod pod)
    {
        using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, "default", container: "main");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(100, cancel.Token);
        }
    }
}

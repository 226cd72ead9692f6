using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>The API server and job controller through <see cref="IKubernetes"/>, without a kubelet (pods stay Pending).</summary>
[TestFixture]
public sealed class FakeKubernetesClusterTests
{
    private FakeKubernetesCluster _cluster = null!;

    [SetUp]
    public async Task StartAsync() => _cluster = await FakeKubernetesCluster.StartAsync(new FakeClusterOptions { DockerEndpoint = null });

    [TearDown]
    public async Task StopAsync() => await _cluster.DisposeAsync();

    [Test]
    public async Task CreateJob_ControllerMakesOnePodOwnedByTheJob()
    {
        var created = await _cluster.Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("one", "img:1", ["true"]), "default");

        var pod = await ClusterTestJobs.WaitForPodAsync(_cluster.Client, "one", _ => true);

        Assert.Multiple(() =>
        {
            Assert.That(pod.Metadata.Name, Does.Match("^one-[a-z0-9]{5}$"));
            Assert.That(pod.Metadata.Labels["job-name"], Is.EqualTo("one"));
            Assert.That(pod.Metadata.Labels["batch.kubernetes.io/job-name"], Is.EqualTo("one"));
            Assert.That(pod.Metadata.Labels["controller-uid"], Is.EqualTo(created.Metadata.Uid));
            Assert.That(pod.Metadata.Labels["batch.kubernetes.io/controller-uid"], Is.EqualTo(created.Metadata.Uid));
            Assert.That(pod.Metadata.OwnerReferences.Single().Uid, Is.EqualTo(created.Metadata.Uid));
            Assert.That(pod.Status.Phase, Is.EqualTo("Pending"));
            Assert.That(created.Metadata.CreationTimestamp, Is.Not.Null);
            Assert.That(created.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"], Is.EqualTo(created.Metadata.Uid));
        });
    }

    [Test]
    public async Task CreateJob_SecondWithTheSameName_Answers409AlreadyExists()
    {
        await _cluster.Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("twice", "img:1", ["true"]), "default");

        var error = Assert.ThrowsAsync<HttpOperationException>(() => _cluster.Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("twice", "img:1", ["true"]), "default"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(KubeJson.Deserialize<V1Status>(error.Response.Content).Reason, Is.EqualTo("AlreadyExists"));
            Assert.That(error.Response.Content, Does.Contain("jobs.batch \\u0022twice\\u0022 already exists").Or.Contain("jobs.batch \\\"twice\\\" already exists"));
        });
    }

    [Test]
    public async Task Create_UnknownField_Answers400NamingTheField()
    {
        var manifest = new Dictionary<string, object>
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "strict" },
            ["spec"] = new Dictionary<string, object>
            {
                ["template"] = new Dictionary<string, object>
                {
                    ["spec"] = new Dictionary<string, object>
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new[] { new Dictionary<string, object> { ["name"] = "main", ["image"] = "img:1", ["memoryLimit"] = "1Gi" } },
                    },
                },
            },
        };

        var error = Assert.ThrowsAsync<HttpOperationException>(() => _cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(manifest, "batch", "v1", "default", "jobs", fieldValidation: "Strict"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(KubeJson.Deserialize<V1Status>(error.Response.Content).Message, Is.EqualTo("strict decoding error: unknown field \"spec.template.spec.containers[0].memoryLimit\""));
        });
    }

    [Test]
    public async Task Create_RestartPolicyAlways_Answers422Invalid()
    {
        var job = ClusterTestJobs.Job("always", "img:1", ["true"], pod => pod.RestartPolicy = "Always");

        var error = Assert.ThrowsAsync<HttpOperationException>(() => _cluster.Client.BatchV1.CreateNamespacedJobAsync(job, "default"));

        Assert.Multiple(() =>
        {
            Assert.That((int)error!.Response.StatusCode, Is.EqualTo(422));
            Assert.That(KubeJson.Deserialize<V1Status>(error.Response.Content).Details.Causes.Single().Field, Is.EqualTo("spec.template.spec.restartPolicy"));
        });
    }

    [Test]
    public async Task Watch_FromExpiredVersion_Gets410ThenRelistWorks()
    {
        await _cluster.Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("old", "img:1", ["true"]), "default");
        var list = await _cluster.Client.BatchV1.ListNamespacedJobAsync("default");
        await _cluster.Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("newer", "img:1", ["true"]), "default");
        _cluster.Faults.ExpireWatchHistory();

        KubernetesException? error = null;
        await foreach (var _ in _cluster.Client.BatchV1.WatchListNamespacedJobAsync("default", resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 5, onError: e => error = e as KubernetesException))
        {
        }

        var relist = await _cluster.Client.BatchV1.ListNamespacedJobAsync("default");

        Assert.Multiple(() =>
        {
            Assert.That(error!.Status.Code, Is.EqualTo(410));
            Assert.That(error.Status.Reason, Is.EqualTo("Expired"));
            Assert.That(relist.Items.Select(j => j.Metadata.Name), Is.EquivalentTo(new[] { "old", "newer" }));
            Assert.That(long.Parse(relist.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(long.Parse(list.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Test]
    public async Task Watch_FromListVersion_DeliversLaterChangesInOrder()
    {
        var list = await _cluster.Client.CoreV1.ListNamespacedSecretAsync("default");
        await _cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s1" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, "default");
        await _cluster.Client.CoreV1.DeleteNamespacedSecretAsync("s1", "default");

        var seen = new List<string>();
        await foreach (var (type, secret) in _cluster.Client.CoreV1.WatchListNamespacedSecretAsync("default", resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 1))
        {
            seen.Add($"{type} {secret.Metadata.Name}");
        }

        Assert.That(seen, Is.EqualTo(new[] { "Added s1", "Deleted s1" }));
    }

    [Test]
    public async Task Create_After429_SucceedsOnRetryAfter()
    {
        _cluster.Faults.FailNext("create", "secrets", 429, retryAfter: TimeSpan.FromSeconds(1));
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = "busy" }, StringData = new Dictionary<string, string> { ["k"] = "v" } };

        var first = Assert.ThrowsAsync<HttpOperationException>(() => _cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "default"));
        var retryAfter = first!.Response.Headers["Retry-After"].Single();
        var created = await _cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");

        Assert.Multiple(() =>
        {
            Assert.That((int)first.Response.StatusCode, Is.EqualTo(429));
            Assert.That(retryAfter, Is.EqualTo("1"));
            Assert.That(created.Metadata.Name, Is.EqualTo("busy"));
        });
    }

    [Test]
    public async Task DeleteJob_Background_RemovesItsPodsAndOwnedSecret()
    {
        var job = await _cluster.Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("gc", "img:1", ["true"]), "default");
        var owner = new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "gc", Uid = job.Metadata.Uid };
        await _cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "gc-creds", OwnerReferences = [owner] }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, "default");
        await _cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "unowned" } }, "default");
        await ClusterTestJobs.WaitForPodAsync(_cluster.Client, "gc", _ => true);

        await _cluster.Client.BatchV1.DeleteNamespacedJobAsync("gc", "default", propagationPolicy: "Background");
        await WaitUntilAsync(async () => (await _cluster.Client.CoreV1.ListNamespacedPodAsync("default")).Items.Count == 0);

        var secrets = await _cluster.Client.CoreV1.ListNamespacedSecretAsync("default");
        Assert.That(secrets.Items.Select(s => s.Metadata.Name), Is.EqualTo(new[] { "unowned" }));
    }

    [Test]
    public async Task ListEvents_ByInvolvedObject_ShowsTheControllersEvents()
    {
        await _cluster.Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("ev", "img:1", ["true"]), "default");
        await ClusterTestJobs.WaitForPodAsync(_cluster.Client, "ev", _ => true);

        var events = await _cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=ev,involvedObject.kind=Job");

        Assert.That(events.Items.Single().Reason, Is.EqualTo("SuccessfulCreate"));
    }

    [Test]
    public async Task Job_ActiveDeadline_FailsWithDeadlineExceeded()
    {
        await _cluster.Client.BatchV1.CreateNamespacedJobAsync(ClusterTestJobs.Job("late", "img:1", ["true"], spec: s => s.ActiveDeadlineSeconds = 1), "default");

        var job = await ClusterTestJobs.WaitForJobAsync(_cluster.Client, "late", j => ClusterTestJobs.HasCondition(j, "Failed"));

        Assert.That(job.Status.Conditions.Single(c => c.Type == "Failed").Reason, Is.EqualTo("DeadlineExceeded"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(50, cancel.Token);
        }
    }
}

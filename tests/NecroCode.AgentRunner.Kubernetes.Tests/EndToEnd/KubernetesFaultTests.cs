using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Kubernetes.Manifests;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>The faults of a run in Kubernetes mode, each through the fake cluster's API server and kubelet on the real engine.</summary>
[TestFixture]
[NonParallelizable]
public sealed class KubernetesFaultTests : SandboxFixture
{
    private const string Sleeps = "cat > /dev/null\necho 'agent: thinking'\nsleep 120\n";
    [Test]
    public async Task RunAsync_WatchClosedHistoryExpiredAndLogDropped_StillSucceeds()
    {
        var (environment, _) = Environment(KubernetesSandbox.ImplementsSubtraction);
        var run = environment.RunAsync(new ExecutionRequest(Sandbox.Task(), new RecordingEventSink()), CancellationToken.None);
        await WaitForPodAsync("Running");

        Sandbox.Cluster.Faults.ExpireWatchHistory();
        Sandbox.Cluster.Faults.CloseWatches();
        Sandbox.Cluster.Faults.DropLogStreams();
        var result = await run;

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
    }

    [Test]
    public async Task RunAsync_ThrottledAndServerErrors_AreRetried()
    {
        var (environment, _) = Environment(KubernetesSandbox.ImplementsSubtraction);
        Sandbox.Cluster.Faults.FailNext("create", "jobs", 429, count: 2, retryAfter: TimeSpan.FromSeconds(1));
        Sandbox.Cluster.Faults.FailNext("create", "secrets", 503, count: 1);
        Sandbox.Cluster.Faults.FailNext("list", "pods", 500, count: 2);

        var result = await environment.RunAsync(new ExecutionRequest(Sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
    }

    [Test]
    public async Task RunAsync_LeftoverJobOfTheSameTask_IsAClearConflict()
    {
        var (environment, options) = Environment(KubernetesSandbox.ImplementsSubtraction);
        var name = JobName.For(TaskKey.Of(Sandbox.Task()), options.RunnerId);
        var leftover = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = name, Annotations = new Dictionary<string, string> { [JobLabels.Owner] = Execution.Remote.RemoteRunOwner.Current } },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "runner", Image = "necrocode-missing:0" }] } } },
        };
        await Sandbox.Cluster.Client.BatchV1.CreateNamespacedJobAsync(leftover, "default");

        var error = Assert.ThrowsAsync<TaskConflictException>(() => environment.RunAsync(new ExecutionRequest(Sandbox.Task()), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain($"A Job of calc/1 is already in namespace 'default' ({name})").And.Contain("nothing was started"));
    }

    [Test]
    public async Task RunAsync_ImageThatDoesNotExist_FailsWithImagePullAfterThePendingTimeout()
    {
        var (environment, _) = Environment(KubernetesSandbox.ImplementsSubtraction, o =>
        {
            o.Image = "necrocode-missing-image:0";
            o.PendingTimeout = TimeSpan.FromSeconds(8);
        });

        var result = await environment.RunAsync(new ExecutionRequest(Sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        await AssertFailedAsync(result, RunOutcome.InfrastructureError, nameof(KubernetesFailureReason.ImagePull), "necrocode-missing-image:0");
        Assert.That(await Sandbox.Cluster.Client.BatchV1.ListNamespacedJobAsync("default"), Has.Property("Items").Empty, "the Job was deleted");
    }

    [Test]
    public async Task RunAsync_MemoryLimitHit_FailsWithOOMKilled()
    {
        const string hog = "cat > /dev/null\nhead -c 2000000000 /dev/zero | tail > /dev/null\n";
        var (environment, _) = Environment(hog, o => { o.MemoryLimit = "300Mi"; o.MemoryRequest = "64Mi"; });

        var result = await environment.RunAsync(new ExecutionRequest(Sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        await AssertFailedAsync(result, RunOutcome.InfrastructureError, nameof(KubernetesFailureReason.OOMKilled), "OOMKilled");
    }

    [Test]
    public async Task RunAsync_PastTheDeadline_TimesOut()
    {
        var (environment, _) = Environment(Sleeps, o => o.DeadlineMargin = TimeSpan.Zero);

        var result = await environment.RunAsync(new ExecutionRequest(Sandbox.Task() with { Timeout = TimeSpan.FromSeconds(15) }, new RecordingEventSink()), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.TimedOut), result.Error?.Message);
        var record = await Registry().GetTaskAsync(TaskKey.Of(Sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task RunAsync_PodDeletedFromOutside_FailsSayingSo()
    {
        var (environment, _) = Environment(Sleeps);
        var run = environment.RunAsync(new ExecutionRequest(Sandbox.Task(), new RecordingEventSink()), CancellationToken.None);
        var pod = await WaitForPodAsync("Running");

        Sandbox.Cluster.Faults.DeletePodFromOutside("default", pod.Metadata.Name);
        var result = await run;

        await AssertFailedAsync(result, RunOutcome.InfrastructureError, nameof(KubernetesFailureReason.DeletedFromOutside), "deleted from outside the run");
    }

    [Test]
    public async Task RunAsync_HostCancelled_DeletesTheJobAndLeavesNothingRunning()
    {
        var (environment, _) = Environment(Sleeps);
        using var cancel = new CancellationTokenSource();
        var run = environment.RunAsync(new ExecutionRequest(Sandbox.Task(), new RecordingEventSink()), cancel.Token);
        await WaitForPodAsync("Running");

        await cancel.CancelAsync();
        var result = await run;

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Cancelled), result.Error?.Message);
        Assert.That(await Sandbox.Cluster.Client.BatchV1.ListNamespacedJobAsync("default"), Has.Property("Items").Empty, "the Job was deleted");
        Assert.That(await Sandbox.Cluster.Client.CoreV1.ListNamespacedSecretAsync("default", labelSelector: JobLabels.Job), Has.Property("Items").Empty, "the Secret was deleted");
        IReadOnlyList<string> running = [];
        for (var i = 0; i < 60 && (running = await Sandbox.Cluster.RunningContainersAsync()).Count > 0; i++)
        {
            await Task.Delay(500);
        }

        Assert.That(running, Is.Empty, "nothing is left running in the engine");
        var record = await Registry().GetTaskAsync(TaskKey.Of(Sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
    }

    private ServiceProvider? _host;

    private (IExecutionEnvironment Environment, KubernetesOptions Options) Environment(string agent, Action<KubernetesOptions>? configure = null)
    {
        _host = Sandbox.Host(agent, configure);
        return (_host.GetRequiredService<IExecutionEnvironment>(), _host.GetRequiredService<Microsoft.Extensions.Options.IOptions<KubernetesOptions>>().Value);
    }

    private ITaskRegistry Registry() => _host!.GetRequiredService<ITaskRegistry>();

    private async Task AssertFailedAsync(RunnerResult result, RunOutcome outcome, string code, string words)
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

    private async Task<V1Pod> WaitForPodAsync(string phase)
    {
        for (var i = 0; i < 240; i++)
        {
            var pods = await Sandbox.Cluster.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: JobLabels.Job);
            if (pods.Items.FirstOrDefault(p => p.Status?.Phase == phase) is { } pod)
            {
                return pod;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"No pod of the Job reached {phase} within a minute.");
        return null!;
    }
}

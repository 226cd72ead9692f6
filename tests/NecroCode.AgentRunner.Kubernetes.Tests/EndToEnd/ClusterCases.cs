using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Kubernetes.Manifests;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>
/// The end-to-end cases of Kubernetes mode that hold on any cluster: the whole path of a task in a pod against the same
/// task in local mode, and the faults a cluster produces by itself (a leftover Job, an image that does not exist, the memory
/// limit, the deadline, a pod deleted from outside, the host cancelled). They run on the fake cluster in every test run
/// (<see cref="KubernetesEndToEndTests"/>) and on a real one when asked (<see cref="RealCluster.RealClusterTests"/>).
/// </summary>
public abstract class ClusterCases : ClusterFixture
{
    [Test]
    public async Task RunAsync_TaskInAPod_SucceedsPushedAndSettledLikeALocalRun()
    {
        // The same task in local mode first (task 2), then in a pod (task 1): same outcome, same registry events, same run events.
        await using var local = Sandbox.Host(KubernetesSandbox.ImplementsSubtraction, kubernetes: false);
        var localEvents = new RecordingEventSink();
        var clock = Stopwatch.StartNew();
        var localResult = await local.GetRequiredService<IExecutionEnvironment>().RunAsync(new ExecutionRequest(Sandbox.Task("2"), localEvents), CancellationToken.None);
        var localTime = clock.Elapsed;
        Assert.That(localResult.Outcome, Is.EqualTo(RunOutcome.Succeeded), localResult.Error?.Message);

        var (environment, _) = Environment(KubernetesSandbox.ImplementsSubtraction);
        var events = new RecordingEventSink();
        var task = Sandbox.Task();
        clock.Restart();

        var result = await environment.RunAsync(new ExecutionRequest(task, events), CancellationToken.None);
        var podTime = clock.Elapsed;

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message + "\n" + string.Join('\n', events.Events.Select(e => e.ToString())));
        var record = await Registry().GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var recorded = await Registry().GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        var localRecorded = await Registry().GetEventsAsync(TaskKey.Of(Sandbox.Task("2")), CancellationToken.None);
        var job = (await JobsAsync()).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment.Name, Is.EqualTo("kubernetes"));
            Assert.That(await KubernetesSandbox.GitAsync(Sandbox.Root, "--git-dir", Sandbox.Origin, "rev-parse", result.Branch!), Is.EqualTo(result.CommitId), "the pod pushed");
            Assert.That(Sandbox.Server.Requests, Has.Some.StartsWith("POST /origin.git/git-receive-pack"), "pushed over smart HTTP");
            Assert.That(record!.State, Is.EqualTo(TaskState.Done));
            Assert.That(result.Artifacts.Where(a => a.Stored).Select(a => a.Uri!.Scheme), Has.All.EqualTo("s3").And.Not.Empty);
            Assert.That(result.Artifacts.Select(a => a.Name), Is.EquivalentTo(localResult.Artifacts.Select(a => a.Name)));
            Assert.That(result.Steps.Select(s => (s.Name, s.Outcome)), Is.EqualTo(localResult.Steps.Select(s => (s.Name, s.Outcome))));
            Assert.That(recorded.Select(e => e.Type), Is.EqualTo(localRecorded.Select(e => e.Type)), "the registry holds the same events as a local run's");
            Assert.That(RunEventTypes(events), Is.EqualTo(RunEventTypes(localEvents)), "the same run events as a local run");
            Assert.That(events.Events.OfType<RunFinished>().Single().Outcome, Is.EqualTo(RunOutcome.Succeeded));
            Assert.That(job.Status.Succeeded, Is.EqualTo(1), "the finished Job is left to its TTL");
        }

        TestContext.Out.WriteLine($"Job created to result: {podTime.TotalSeconds:F1} s in Kubernetes mode; the same task in local mode: {localTime.TotalSeconds:F1} s.");
    }

    [Test]
    public async Task RunAsync_LeftoverJobOfTheSameTask_IsAClearConflict()
    {
        var (environment, options) = Environment(KubernetesSandbox.ImplementsSubtraction);
        var name = JobName.For(TaskKey.Of(Sandbox.Task()), options.RunnerId);
        var leftover = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = name, Annotations = new Dictionary<string, string> { [JobLabels.Owner] = Execution.Remote.RemoteRunOwner.Current } },
            Spec = new V1JobSpec
            {
                // Suspended: a real cluster creates no pod for it.
                Suspend = true,
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "runner", Image = "necrocode-missing:0" }] } },
            },
        };
        await Sandbox.Cluster.Client.BatchV1.CreateNamespacedJobAsync(leftover, Sandbox.Namespace);

        var error = Assert.ThrowsAsync<TaskConflictException>(() => environment.RunAsync(new ExecutionRequest(Sandbox.Task()), CancellationToken.None));

        Assert.That(error!.Message, Does.Contain($"A Job of calc/1 is already in namespace '{Sandbox.Namespace}' ({name})").And.Contain("nothing was started"));
        await Sandbox.Cluster.Client.BatchV1.DeleteNamespacedJobAsync(name, Sandbox.Namespace, propagationPolicy: "Background");
    }

    [Test]
    public async Task RunAsync_ImageThatDoesNotExist_FailsWithImagePullAfterThePendingTimeout()
    {
        var (environment, _) = Environment(KubernetesSandbox.ImplementsSubtraction, o =>
        {
            o.Image = "necrocode-missing-image:0";
            o.ImagePullPolicy = "IfNotPresent";
            o.PendingTimeout = TimeSpan.FromSeconds(8);
        });

        var result = await environment.RunAsync(new ExecutionRequest(Sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        await AssertFailedAsync(result, RunOutcome.InfrastructureError, nameof(KubernetesFailureReason.ImagePull), "necrocode-missing-image:0");
        Assert.That(await JobsAsync(), Is.Empty, "the Job was deleted");
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

        await Sandbox.Cluster.DeletePodFromOutsideAsync(pod.Metadata.Name);
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
        Assert.That(await JobsAsync(), Is.Empty, "the Job was deleted");
        Assert.That(await SecretsAsync(), Is.Empty, "the Secret was deleted");
        IReadOnlyList<string> running = [];
        for (var i = 0; i < 120 && (running = await Sandbox.Cluster.StillRunningAsync()).Count > 0; i++)
        {
            await Task.Delay(500);
        }

        Assert.That(running, Is.Empty, "nothing of the pod is left running");
        var record = await Registry().GetTaskAsync(TaskKey.Of(Sandbox.Task()), CancellationToken.None);
        Assert.That(record!.State, Is.EqualTo(TaskState.Failed));
    }

    /// <summary>The run's event types, without the lines the runner in the pod logged (a local run's go to its logger).</summary>
    internal static IReadOnlyList<string> RunEventTypes(RecordingEventSink events) =>
        [.. events.Events.Where(e => e is not OutputLine { Step: "container" }).Select(e => e.GetType().Name)];
}

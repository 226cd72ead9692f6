using System.Diagnostics;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>
/// The whole path: the host creates the Job, the fake cluster's kubelet runs the real <c>necrocode-runner</c> of the test
/// image, which clones origin over smart HTTP, pushes, and writes to the shared PostgreSQL registry and S3 store; the host
/// settles the run and verifies the push.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KubernetesEndToEndTests : SandboxFixture
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

        await using var host = Sandbox.Host(KubernetesSandbox.ImplementsSubtraction);
        var environment = host.GetRequiredService<IExecutionEnvironment>();
        var registry = host.GetRequiredService<ITaskRegistry>();
        var events = new RecordingEventSink();
        var task = Sandbox.Task();
        clock.Restart();

        var result = await environment.RunAsync(new ExecutionRequest(task, events), CancellationToken.None);
        var podTime = clock.Elapsed;

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message + "\n" + string.Join('\n', events.Events.Select(e => e.ToString())));
        var record = await registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var recorded = await registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        var localRecorded = await registry.GetEventsAsync(TaskKey.Of(Sandbox.Task("2")), CancellationToken.None);
        var job = (await Sandbox.Cluster.Client.BatchV1.ListNamespacedJobAsync("default")).Items.Single();
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

    /// <summary>The run's event types, without the lines the runner in the pod logged (a local run's go to its logger).</summary>
    internal static IReadOnlyList<string> RunEventTypes(RecordingEventSink events) =>
        [.. events.Events.Where(e => e is not OutputLine { Step: "container" }).Select(e => e.GetType().Name)];
}

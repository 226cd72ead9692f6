using System.Diagnostics;
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
public sealed class KubernetesEndToEndTests
{
    private KubernetesSandbox _sandbox = null!;

    [SetUp]
    public async Task SetUpAsync() => _sandbox = await KubernetesSandbox.StartAsync();

    [TearDown]
    public async Task TearDownAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }

    [Test]
    public async Task RunAsync_TaskInAPod_SucceedsPushedAndSettledLikeALocalRun()
    {
        await using var host = _sandbox.Host(KubernetesSandbox.ImplementsSubtraction);
        var environment = host.GetRequiredService<IExecutionEnvironment>();
        var registry = host.GetRequiredService<ITaskRegistry>();
        var events = new RecordingEventSink();
        var task = _sandbox.Task();
        var clock = Stopwatch.StartNew();

        var result = await environment.RunAsync(new ExecutionRequest(task, events), CancellationToken.None);
        var podTime = clock.Elapsed;

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message + "\n" + string.Join('\n', events.Events.Select(e => e.ToString())));
        var record = await registry.GetTaskAsync(TaskKey.Of(task), CancellationToken.None);
        var recorded = await registry.GetEventsAsync(TaskKey.Of(task), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment.Name, Is.EqualTo("kubernetes"));
            Assert.That(await KubernetesSandbox.GitAsync(_sandbox.Root, "--git-dir", _sandbox.Origin, "rev-parse", result.Branch!), Is.EqualTo(result.CommitId), "the pod pushed");
            Assert.That(record!.State, Is.EqualTo(TaskState.Done));
            Assert.That(recorded.Select(e => e.Type), Has.Some.EqualTo(TaskEventTypes.TaskStarted).And.Some.EqualTo(TaskEventTypes.TaskCompleted));
            Assert.That(result.Artifacts.Where(a => a.Stored).Select(a => a.Uri!.Scheme), Has.All.EqualTo("s3").And.Not.Empty);
            Assert.That(events.Events.OfType<RunFinished>().Single().Outcome, Is.EqualTo(RunOutcome.Succeeded));
            Assert.That(_sandbox.Server.Requests, Has.Some.StartsWith("POST /origin.git/git-receive-pack"), "pushed over smart HTTP");
            Assert.That(await _sandbox.Cluster.RunningContainersAsync(), Is.Empty, "the pod's container ended");
        }

        TestContext.Out.WriteLine($"Kubernetes mode: Job created to result in {podTime.TotalSeconds:F1} s");
    }
}

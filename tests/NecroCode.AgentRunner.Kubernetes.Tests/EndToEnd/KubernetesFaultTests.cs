using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Kubernetes.Manifests;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Kubernetes.Tests.EndToEnd;

/// <summary>
/// The faults only the fake cluster's API server can produce on demand (a closed watch, expired history, a dropped log stream,
/// throttling and server errors); the faults any cluster produces are cases of <see cref="ClusterCases"/>.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KubernetesFaultTests : ClusterFixture
{
    [Test]
    public async Task RunAsync_WatchClosedHistoryExpiredAndLogDropped_StillSucceeds()
    {
        var (environment, _) = Environment(KubernetesSandbox.ImplementsSubtraction);
        var run = environment.RunAsync(new ExecutionRequest(Sandbox.Task(), new RecordingEventSink()), CancellationToken.None);
        await WaitForPodAsync("Running");

        Sandbox.Fake.Faults.ExpireWatchHistory();
        Sandbox.Fake.Faults.CloseWatches();
        Sandbox.Fake.Faults.DropLogStreams();
        var result = await run;

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
    }

    [Test]
    public async Task RunAsync_ThrottledAndServerErrors_AreRetried()
    {
        var (environment, _) = Environment(KubernetesSandbox.ImplementsSubtraction);
        Sandbox.Fake.Faults.FailNext("create", "jobs", 429, count: 2, retryAfter: TimeSpan.FromSeconds(1));
        Sandbox.Fake.Faults.FailNext("create", "secrets", 503, count: 1);
        Sandbox.Fake.Faults.FailNext("list", "pods", 500, count: 2);

        var result = await environment.RunAsync(new ExecutionRequest(Sandbox.Task(), new RecordingEventSink()), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
    }
}

using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Execution.Remote;
using NecroCode.AgentRunner.Kubernetes.Failures;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

/// <summary>How following a Job ended.</summary>
/// <param name="Verdict">The last verdict: final, or the one the run was given up on.</param>
/// <param name="PodName">The last pod, when there was one.</param>
/// <param name="Cancelled">Whether the host cancelled the run.</param>
/// <param name="HostDeadline">Whether the host gave up waiting past the Job's own deadline.</param>
internal sealed record JobRunEnd(PodVerdict Verdict, string? PodName, bool Cancelled, bool HostDeadline);

/// <summary>
/// Follows one created Job to its end: reads the watch's snapshots, classifies them, runs the pending timeout of its own
/// (a pod stuck pending or pulling never fails by itself), and streams the running pod's log into the run's output.
/// </summary>
internal sealed partial class JobRun(IKubernetes client, ClusterCalls calls, KubernetesOptions options, string jobName, RemoteEventReader output, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan LogGrace = TimeSpan.FromSeconds(10);
    private PodLogFollower? _follower;
    private Task? _following;
    private string? _followedPod;
    private volatile bool _containerEnded;

    /// <summary>How many times the pods were listed (watch restarts included).</summary>
    public int Lists { get; private set; }

    /// <summary>Follows the Job until its run ends, it is given up, <paramref name="hostDeadline"/> passes, or the host cancels.</summary>
    public async Task<JobRunEnd> FollowAsync(TimeSpan hostDeadline, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource();
        var watch = new JobWatch(client, calls, options.Namespace, jobName, options.PollInterval, time, logger);
        var watching = watch.RunAsync(stop.Token);
        var logs = new CancellationTokenSource();
        try
        {
            return await LoopAsync(watch, hostDeadline, logs, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(false);
            Lists = watch.Lists;
            await DrainLogAsync(logs).ConfigureAwait(false);
            logs.Dispose();
            output.Complete();
        }
    }

    private async Task<JobRunEnd> LoopAsync(JobWatch watch, TimeSpan hostDeadline, CancellationTokenSource logs, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        long? pendingSince = started;
        var last = PodVerdict.Waiting;
        string? podName = null;
        while (true)
        {
            var wait = pendingSince is { } since ? options.PendingTimeout - time.GetElapsedTime(since) : hostDeadline - time.GetElapsedTime(started);
            JobSnapshot? snapshot;
            try
            {
                snapshot = await NextAsync(watch, wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Log.Cancelled(logger, jobName);
                return new JobRunEnd(last, podName, Cancelled: true, HostDeadline: false);
            }

            if (snapshot is null)
            {
                if (pendingSince is { } pending && time.GetElapsedTime(pending) >= options.PendingTimeout)
                {
                    var given = PodClassifier.PendingTimedOut(last, options.PendingTimeout);
                    Log.PendingTimedOut(logger, jobName, options.PendingTimeout);
                    return new JobRunEnd(given, podName, Cancelled: false, HostDeadline: false);
                }

                if (time.GetElapsedTime(started) >= hostDeadline)
                {
                    return new JobRunEnd(new PodVerdict(PodVerdictKind.Failed, KubernetesFailureReason.DeadlineExceeded, $"The Job did not end within {hostDeadline} (its deadline and the pending timeout); the host gave it up."), podName, Cancelled: false, HostDeadline: true);
                }

                continue;
            }

            podName = snapshot.Pod?.Metadata?.Name ?? podName;
            var verdict = PodClassifier.Classify(snapshot.Pod, snapshot.Job, [], snapshot.PodDeleted);
            if (verdict.Kind is PodVerdictKind.Stuck or PodVerdictKind.Disrupted or PodVerdictKind.Failed && snapshot.Pod is { } pod)
            {
                verdict = PodClassifier.Classify(pod, snapshot.Job, await EventsAsync(pod, cancellationToken).ConfigureAwait(false), snapshot.PodDeleted);
            }

            if (verdict.Kind == PodVerdictKind.Exited && snapshot.Pod is { } exited)
            {
                // A container stopped by the Job's deadline looks as if it ended by itself: the Job's own word decides.
                verdict = PodClassifier.Classify(exited, await ReadJobAsync(cancellationToken).ConfigureAwait(false) ?? snapshot.Job, [], snapshot.PodDeleted);
            }

            if (verdict != last)
            {
                Log.PodState(logger, jobName, podName ?? "-", verdict.Kind.ToString(), verdict.Reason?.ToString() ?? "-");
            }

            last = verdict;
            if (verdict.Kind is PodVerdictKind.Running or PodVerdictKind.Exited && snapshot.Pod is { } runningPod)
            {
                pendingSince = null;
                StartFollowing(runningPod.Metadata.Name, logs.Token);
            }
            else if (verdict.Kind is PodVerdictKind.Pending or PodVerdictKind.Stuck or PodVerdictKind.Disrupted)
            {
                pendingSince ??= time.GetTimestamp();
            }

            if (verdict.IsFinal || verdict.Kind == PodVerdictKind.Exited)
            {
                _containerEnded = true;
                return new JobRunEnd(verdict, podName, Cancelled: false, HostDeadline: false);
            }
        }
    }

    /// <summary>The next snapshot, or null when <paramref name="wait"/> passed first.</summary>
    private async Task<JobSnapshot?> NextAsync(JobWatch watch, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (watch.Snapshots.TryRead(out var ready))
        {
            return ready;
        }

        if (wait <= TimeSpan.Zero)
        {
            return null;
        }

        using var timer = new CancellationTokenSource(wait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            // A watch that failed past its retries ends the channel with its error, thrown here.
            return await watch.Snapshots.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void StartFollowing(string podName, CancellationToken cancellationToken)
    {
        if (_followedPod == podName)
        {
            return;
        }

        // A replacement pod (after a disruption) runs the task anew; its log follows the first one's.
        _followedPod = podName;
        var previous = _following;
        _follower = new PodLogFollower(client, options.Namespace, podName, output, time);
        var follower = _follower;
        _following = Task.Run(
            async () =>
            {
                if (previous is not null)
                {
                    await AwaitQuietlyAsync(previous).ConfigureAwait(false);
                }

                await follower.RunAsync(() => _containerEnded, cancellationToken).ConfigureAwait(false);
            },
            CancellationToken.None);
    }

    private async Task DrainLogAsync(CancellationTokenSource logs)
    {
        _containerEnded = true;
        if (_following is null)
        {
            return;
        }

        logs.CancelAfter(LogGrace);
        await AwaitQuietlyAsync(_following).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<Corev1Event>> EventsAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            var name = pod.Metadata.Name;
            var list = await calls.RunAsync(ct => client.CoreV1.ListNamespacedEventAsync(options.Namespace, fieldSelector: "involvedObject.name=" + name, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            return [.. list.Items.Where(e => e.InvolvedObject?.Name == name).OrderBy(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata?.CreationTimestamp)];
        }
#pragma warning disable CA1031 // Events only add words to a verdict the pod's status already gives: no failure of theirs ends the run.
        // An HTTP timeout is a cancellation too; only the run's own cancellation goes on.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Log.EventsUnread(logger, jobName, ex.Message);
            return [];
        }
    }

    private async Task<V1Job?> ReadJobAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await calls.RunAsync(ct => client.BatchV1.ReadNamespacedJobAsync(jobName, options.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A refinement of what the watch already saw: when the Job cannot be read, the watch's copy stands.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.EventsUnread(logger, jobName, ex.Message);
            return null;
        }
    }

    private static async Task AwaitQuietlyAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The log is a convenience; the registry is the record.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Whatever ended the log's reading, the run is settled from the registry.
        }
    }
}

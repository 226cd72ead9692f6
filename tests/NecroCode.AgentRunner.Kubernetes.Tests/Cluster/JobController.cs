using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// The job controller: one pod per Job from its template, the Job's status (<c>active</c>, <c>succeeded</c>,
/// <c>failed</c>, <c>ready</c>, <c>startTime</c>, <c>completionTime</c>, conditions), <c>backoffLimit</c>,
/// <c>activeDeadlineSeconds</c>, <c>podFailurePolicy</c> and <c>ttlSecondsAfterFinished</c>; also runs the garbage collector.
/// </summary>
internal sealed class JobController(ClusterStore store, ClusterEvents events, PodLifecycle pods, GarbageCollector collector, FakeClusterOptions options)
{
    private const string Component = "job-controller";
    private readonly Dictionary<string, JobTracking> _tracking = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var changes = store.Listen();
        while (!cancellationToken.IsCancellationRequested)
        {
            collector.Collect();
            foreach (var job in store.List<V1Job>(ResourceInfo.Jobs, null))
            {
                Reconcile(job);
            }

            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            tick.CancelAfter(options.ResyncInterval);
            try
            {
                await changes.WaitToReadAsync(tick.Token).ConfigureAwait(false);
                changes.TryRead(out _);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // resync
            }
        }
    }

    private void Reconcile(V1Job job)
    {
        var meta = job.Metadata;
        var ns = meta.NamespaceProperty;
        if (meta.DeletionTimestamp is not null || job.Spec.Suspend == true)
        {
            return;
        }

        var now = store.Now();
        var status = job.Status ?? new V1JobStatus();
        if (Finished(status) is { } finishedAt)
        {
            if (job.Spec.TtlSecondsAfterFinished is { } ttl && now >= finishedAt.AddSeconds(ttl))
            {
                collector.Delete(ResourceInfo.Jobs, ns, meta.Name, "Background");
                _tracking.Remove(meta.Uid);
            }

            return;
        }

        if (!_tracking.TryGetValue(meta.Uid, out var tracking))
        {
            _tracking[meta.Uid] = tracking = new JobTracking();
        }

        var owned = store.List<V1Pod>(ResourceInfo.Pods, ns).Where(p => p.Metadata.OwnerReferences?.Any(o => o.Uid == meta.Uid) == true).ToList();
        (string Reason, string Message)? failure = status.Conditions?.FirstOrDefault(c => c.Type == "FailureTarget") is { } target ? (target.Reason, target.Message) : null;
        foreach (var pod in owned.Where(p => p.Status?.Phase is "Succeeded" or "Failed" && tracking.Counted.Add(p.Metadata.Uid)))
        {
            if (pod.Status.Phase == "Succeeded")
            {
                tracking.Succeeded++;
                continue;
            }

            tracking.LastFailure = now;
            var match = PodFailurePolicyRules.Match(job.Spec.PodFailurePolicy, pod);
            if (match is ("FailJob", var message))
            {
                failure ??= ("PodFailurePolicy", message);
            }

            if (match?.Action != "Ignore")
            {
                tracking.Failed++;
            }
        }

        var present = owned.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var vanished in tracking.Created.Where(uid => !present.Contains(uid) && tracking.Counted.Add(uid)).ToList())
        {
            tracking.Failed++;
            tracking.LastFailure = now;
        }

        var running = owned.Where(p => p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        var active = running.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var startTime = status.StartTime ?? now;
        if (failure is null && tracking.Failed > (job.Spec.BackoffLimit ?? 6))
        {
            failure = ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }

        if (failure is null && job.Spec.ActiveDeadlineSeconds is { } deadline && now >= startTime.AddSeconds(deadline))
        {
            failure = ("DeadlineExceeded", "Job was active longer than specified deadline");
        }

        var complete = failure is null && tracking.Succeeded >= (job.Spec.Completions ?? 1);
        if (failure is not null || complete)
        {
            foreach (var pod in active)
            {
                pods.Delete(ns, pod.Metadata.Name, gracePeriodSeconds: null);
                events.Record(job, "Normal", "SuccessfulDelete", $"Deleted pod: {pod.Metadata.Name}", Component);
            }

            active.Clear();
        }
        else if (active.Count == 0 && (running.Count == 0 || job.Spec.PodReplacementPolicy != "Failed")
            && (tracking.LastFailure is not { } last || now >= last + options.PodReplacementBackoff))
        {
            var pod = store.Create(ResourceInfo.Pods, JobPods.FromTemplate(job));
            tracking.Created.Add(pod.Metadata.Uid);
            events.Record(job, "Normal", "SuccessfulCreate", $"Created pod: {pod.Metadata.Name}", Component);
            active.Add(pod);
            running.Add(pod);
        }

        var terminating = running.Count - active.Count;
        var ready = active.Count(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        var updated = store.Update<V1Job>(ResourceInfo.Jobs, ns, meta.Name, j =>
        {
            if (j.Metadata.Uid != meta.Uid)
            {
                return false;
            }

            var before = KubeJson.Serialize(j.Status ?? new V1JobStatus());
            var s = j.Status ??= new V1JobStatus();
            s.StartTime ??= startTime;
            s.Active = active.Count == 0 ? null : active.Count;
            s.Succeeded = tracking.Succeeded == 0 ? null : tracking.Succeeded;
            s.Failed = tracking.Failed == 0 ? null : tracking.Failed;
            s.Ready = ready;
            s.Terminating = terminating;
            s.UncountedTerminatedPods = new V1UncountedTerminatedPods();
            if (failure is { } f)
            {
                AddCondition(s, "FailureTarget", f.Reason, f.Message, now);
                if (terminating == 0)
                {
                    AddCondition(s, "Failed", f.Reason, f.Message, now);
                }
            }
            else if (complete)
            {
                AddCondition(s, "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now);
                AddCondition(s, "Complete", "CompletionsReached", "Reached expected number of succeeded pods", now);
                s.CompletionTime ??= now;
            }

            return KubeJson.Serialize(s) != before;
        });
        if (updated is not null && Finished(updated.Status) is not null && Finished(status) is null)
        {
            var failed = updated.Status.Conditions.FirstOrDefault(c => c.Type == "Failed");
            events.Record(updated, failed is null ? "Normal" : "Warning", failed?.Reason ?? "Completed", failed?.Message ?? "Job completed", Component);
        }
    }

    private static DateTime? Finished(V1JobStatus? status) =>
        status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True")?.LastTransitionTime;

    private static void AddCondition(V1JobStatus status, string type, string reason, string message, DateTime now)
    {
        status.Conditions ??= [];
        if (status.Conditions.Any(c => c.Type == type))
        {
            return;
        }

        status.Conditions.Add(new V1JobCondition { Type = type, Status = "True", Reason = reason, Message = message, LastProbeTime = now, LastTransitionTime = now });
    }

    private sealed class JobTracking
    {
        public HashSet<string> Created { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Counted { get; } = new(StringComparer.Ordinal);

        public int Succeeded { get; set; }

        public int Failed { get; set; }

        public DateTime? LastFailure { get; set; }
    }
}

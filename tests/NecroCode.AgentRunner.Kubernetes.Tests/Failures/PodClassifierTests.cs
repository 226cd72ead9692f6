using k8s;
using k8s.Models;
using NecroCode.AgentRunner.Kubernetes.Failures;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Failures;

/// <summary>One case per failure reason, from pods, Jobs and events as the kubelet, the scheduler and the Job controller write them.</summary>
[TestFixture]
public sealed class PodClassifierTests
{
    private static readonly V1Job RunningJob = Job("""{"active":1}""");

    [Test]
    public void Classify_OOMKilledWhilePhaseStillRunning_IsFinalOOMKilled()
    {
        var pod = Pod("Running", """
            "containerStatuses":[{"name":"runner","ready":false,"restartCount":0,"image":"runner:1","imageID":"","started":false,
              "state":{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":"2026-12-06T10:00:00Z","finishedAt":"2026-12-06T10:01:00Z"}}}]
            """);

        var verdict = PodClassifier.Classify(pod, RunningJob, [], podDeleted: false);

        Assert.That(verdict, Is.EqualTo(new PodVerdict(PodVerdictKind.Failed, KubernetesFailureReason.OOMKilled, "The pod necrocode-billing-task-7-abc went past its memory limit of 64Mi and its container was OOMKilled (exit code 137).", 137)));
    }

    [Test]
    public void Classify_JobFailedWithDeadlineExceeded_IsDeadlineExceeded()
    {
        var job = Job("""{"failed":1,"conditions":[{"type":"Failed","status":"True","reason":"DeadlineExceeded","message":"Job was active longer than specified deadline"}]}""");

        var verdict = PodClassifier.Classify(null, job, [], podDeleted: true);

        Assert.That(verdict.Kind, Is.EqualTo(PodVerdictKind.Failed));
        Assert.That(verdict.Reason, Is.EqualTo(KubernetesFailureReason.DeadlineExceeded));
        Assert.That(verdict.Message, Does.Contain("Job was active longer than specified deadline").And.Contain("1860 s"));
    }

    [Test]
    public void Classify_PodWithDeadlineExceededReason_IsDeadlineExceeded()
    {
        var pod = Pod("Failed", "\"reason\":\"DeadlineExceeded\",\"message\":\"Pod was active on the node longer than the specified deadline\"");

        var verdict = PodClassifier.Classify(pod, RunningJob, [], podDeleted: false);

        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Failed, (KubernetesFailureReason?)KubernetesFailureReason.DeadlineExceeded)));
    }

    [TestCase("ErrImagePull", "rpc error: code = NotFound desc = failed to pull and unpack image \\\"registry.example/missing:1\\\": not found")]
    [TestCase("ImagePullBackOff", "Back-off pulling image \\\"registry.example/missing:1\\\"")]
    public void Classify_ImagePullFailures_AreStuckWithTheKubeletsWordsAndWarnings(string reason, string message)
    {
        var pod = Waiting(reason, message);
        Corev1Event[] events = [Event("Warning", "Failed", "Failed to pull image \"registry.example/missing:1\": not found"), Event("Normal", "Pulling", "Pulling image")];

        var verdict = PodClassifier.Classify(pod, RunningJob, events, podDeleted: false);

        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Stuck, (KubernetesFailureReason?)KubernetesFailureReason.ImagePull)));
        Assert.That(verdict.Message, Does.Contain(reason).And.Contain("Warning events: Failed: Failed to pull image").And.Not.Contain("Pulling image"));
    }

    [Test]
    public void Classify_ImagePullStuckPastThePendingTimeout_FailsWithImagePull()
    {
        var stuck = PodClassifier.Classify(Waiting("ErrImagePull", "not found"), RunningJob, [], podDeleted: false);

        var verdict = PodClassifier.PendingTimedOut(stuck, TimeSpan.FromMinutes(5));

        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Failed, (KubernetesFailureReason?)KubernetesFailureReason.ImagePull)));
        Assert.That(verdict.Message, Does.StartWith("The pod stayed pending for 00:05:00 (NecroCode:Kubernetes:PendingTimeout)").And.Contain("ErrImagePull: not found"));
    }

    [Test]
    public void Classify_InvalidImageName_IsFinal()
    {
        var verdict = PodClassifier.Classify(Waiting("InvalidImageName", "Failed to apply default image tag \\\"Bad Image\\\": couldn't parse image name"), RunningJob, [], podDeleted: false);

        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Failed, (KubernetesFailureReason?)KubernetesFailureReason.InvalidImageName)));
        Assert.That(verdict.Message, Does.Contain("couldn't parse image name"));
    }

    [Test]
    public void Classify_CrashLoopBackOff_IsFinal()
    {
        var verdict = PodClassifier.Classify(Waiting("CrashLoopBackOff", "back-off 10s restarting failed container=runner"), RunningJob, [], podDeleted: false);

        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Failed, (KubernetesFailureReason?)KubernetesFailureReason.CrashLoopBackOff)));
    }

    [Test]
    public void Classify_CreateContainerConfigError_IsStuckUntilThePendingTimeout()
    {
        var verdict = PodClassifier.Classify(Waiting("CreateContainerConfigError", "secret \\\"necrocode-billing\\\" not found"), RunningJob, [], podDeleted: false);

        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Stuck, (KubernetesFailureReason?)KubernetesFailureReason.CreateContainerConfigError)));
        Assert.That(verdict.Message, Does.Contain("secret \"necrocode-billing\" not found"));
    }

    [Test]
    public void Classify_Unschedulable_QuotesTheScheduler()
    {
        var pod = Pod("Pending", """
            "conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.","lastTransitionTime":"2026-12-06T10:00:00Z"}]
            """);
        Corev1Event[] events = [Event("Warning", "FailedScheduling", "0/3 nodes are available: 3 Insufficient memory.")];

        var verdict = PodClassifier.Classify(pod, RunningJob, events, podDeleted: false);

        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Stuck, (KubernetesFailureReason?)KubernetesFailureReason.Unschedulable)));
        Assert.That(verdict.Message, Does.Contain("cannot be scheduled: 0/3 nodes are available: 3 Insufficient memory.").And.Contain("FailedScheduling"));
    }

    [Test]
    public void Classify_EvictedByTheKubelet_IsEvicted()
    {
        var pod = Pod("Failed", """
            "reason":"Evicted","message":"The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi.",
            "conditions":[{"type":"DisruptionTarget","status":"True","reason":"TerminationByKubelet","message":"The node was low on resource: memory."}]
            """);

        var disrupted = PodClassifier.Classify(pod, RunningJob, [], podDeleted: false);
        var final = PodClassifier.Classify(pod, Job("""{"failed":1,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}"""), [], podDeleted: false);

        Assert.Multiple(() =>
        {
            Assert.That((disrupted.Kind, disrupted.Reason), Is.EqualTo((PodVerdictKind.Disrupted, (KubernetesFailureReason?)KubernetesFailureReason.Evicted)), "the Job makes a new pod");
            Assert.That((final.Kind, final.Reason), Is.EqualTo((PodVerdictKind.Failed, (KubernetesFailureReason?)KubernetesFailureReason.Evicted)));
            Assert.That(final.Message, Does.Contain("low on resource: memory"));
        });
    }

    [Test]
    public void Classify_EvictedWithoutDisruptionCondition_IsFinalEvicted()
    {
        var pod = Pod("Failed", "\"reason\":\"Evicted\",\"message\":\"Pod ephemeral local storage usage exceeds the total limit of containers 1Gi.\"");

        var verdict = PodClassifier.Classify(pod, RunningJob, [], podDeleted: false);

        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Failed, (KubernetesFailureReason?)KubernetesFailureReason.Evicted)));
    }

    [Test]
    public void Classify_DisruptionTarget_WaitsForTheReplacementThenFailsAtThePendingTimeout()
    {
        var pod = Pod("Running", """
            "conditions":[{"type":"DisruptionTarget","status":"True","reason":"PreemptionByScheduler","message":"Kubernetes Scheduler: preempting to accommodate a higher priority pod"}]
            """);

        var verdict = PodClassifier.Classify(pod, RunningJob, [], podDeleted: false);
        var timedOut = PodClassifier.PendingTimedOut(verdict, TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Disrupted, (KubernetesFailureReason?)KubernetesFailureReason.Disrupted)));
            Assert.That(verdict.Message, Does.Contain("PreemptionByScheduler: Kubernetes Scheduler: preempting"));
            Assert.That((timedOut.Kind, timedOut.Reason), Is.EqualTo((PodVerdictKind.Failed, (KubernetesFailureReason?)KubernetesFailureReason.Disrupted)));
        });
    }

    [Test]
    public void Classify_PodDeletedFromOutside_IsDeletedFromOutside()
    {
        var pod = Pod("Running", """
            "containerStatuses":[{"name":"runner","ready":true,"restartCount":0,"image":"runner:1","imageID":"","started":true,"state":{"running":{"startedAt":"2026-12-06T10:00:00Z"}}}]
            """);

        var verdict = PodClassifier.Classify(pod, RunningJob, [], podDeleted: true);

        Assert.That((verdict.Kind, verdict.Reason), Is.EqualTo((PodVerdictKind.Failed, (KubernetesFailureReason?)KubernetesFailureReason.DeletedFromOutside)));
        Assert.That(verdict.Message, Does.Contain("necrocode-billing-task-7-abc was deleted from outside the run while it was Running"));
    }

    [Test]
    public void Classify_JobDeletedFromOutside_IsDeletedFromOutside()
    {
        var verdict = PodClassifier.Classify(null, null, [], podDeleted: false);

        Assert.That(verdict.Reason, Is.EqualTo(KubernetesFailureReason.DeletedFromOutside));
        Assert.That(verdict.Message, Does.Contain("The Job was deleted"));
    }

    [Test]
    public void Classify_PendingWithoutTroubleThenTimedOut_IsPendingTimeout()
    {
        var pending = PodClassifier.Classify(Pod("Pending", "\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\"}]"), RunningJob, [], podDeleted: false);

        var verdict = PodClassifier.PendingTimedOut(pending, TimeSpan.FromMinutes(5));

        Assert.Multiple(() =>
        {
            Assert.That(pending.Kind, Is.EqualTo(PodVerdictKind.Pending));
            Assert.That(verdict.Reason, Is.EqualTo(KubernetesFailureReason.PendingTimeout));
        });
    }

    [TestCase(0)]
    [TestCase(4)]
    public void Classify_ContainerTerminatedByItself_IsExitedWithItsCode(int exitCode)
    {
        var pod = Pod(exitCode == 0 ? "Succeeded" : "Failed", """
            "containerStatuses":[{"name":"runner","ready":false,"restartCount":0,"image":"runner:1","imageID":"","state":{"terminated":{"exitCode":CODE,"reason":"REASON"}}}]
            """.Replace("CODE", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("REASON", exitCode == 0 ? "Completed" : "Error", StringComparison.Ordinal));

        var verdict = PodClassifier.Classify(pod, RunningJob, [], podDeleted: false);

        Assert.That((verdict.Kind, verdict.ExitCode), Is.EqualTo((PodVerdictKind.Exited, (long?)exitCode)));
    }

    [Test]
    public void Classify_Running_IsRunning()
    {
        var pod = Pod("Running", """
            "containerStatuses":[{"name":"runner","ready":true,"restartCount":0,"image":"runner:1","imageID":"","started":true,"state":{"running":{"startedAt":"2026-12-06T10:00:00Z"}}}]
            """);

        Assert.That(PodClassifier.Classify(pod, RunningJob, [], podDeleted: false).Kind, Is.EqualTo(PodVerdictKind.Running));
    }

    private static V1Pod Waiting(string reason, string message) => Pod("Pending", """
        "containerStatuses":[{"name":"runner","ready":false,"restartCount":0,"image":"registry.example/missing:1","imageID":"","started":false,"state":{"waiting":{"reason":"REASON","message":"MESSAGE"}}}]
        """.Replace("REASON", reason, StringComparison.Ordinal).Replace("MESSAGE", message, StringComparison.Ordinal));

    private static V1Pod Pod(string phase, string status) => KubernetesJson.Deserialize<V1Pod>("""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"necrocode-billing-task-7-abc","namespace":"runners","labels":{"necrocode.dev/job":"necrocode-billing-task-7"}},
         "spec":{"restartPolicy":"Never","containers":[{"name":"runner","image":"runner:1","resources":{"limits":{"memory":"64Mi"}}}]},
         "status":{"phase":"PHASE",STATUS}}
        """.Replace("PHASE", phase, StringComparison.Ordinal).Replace("STATUS", status, StringComparison.Ordinal));

    private static V1Job Job(string status) => KubernetesJson.Deserialize<V1Job>("""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"necrocode-billing-task-7","namespace":"runners"},
         "spec":{"activeDeadlineSeconds":1860,"backoffLimit":0,"template":{"spec":{"containers":[]}}},
         "status":STATUS}
        """.Replace("STATUS", status, StringComparison.Ordinal));

    private static Corev1Event Event(string type, string reason, string message) => new()
    {
        Type = type,
        Reason = reason,
        Message = message,
        Count = 1,
        Metadata = new V1ObjectMeta { Name = "e-" + reason },
        InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "necrocode-billing-task-7-abc" },
    };
}

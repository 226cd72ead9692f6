using Docker.DotNet.Models;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// The kubelet's work for one pod, from scheduling to removal: bind it to the node (or leave it Pending as
/// Unschedulable), set up its volumes, wait for a usable image and config (ErrImagePull, ImagePullBackOff,
/// InvalidImageName, CreateContainerConfigError), run its containers, report phases and conditions, honour graceful
/// deletion and eviction, and remove its containers and files at the end.
/// </summary>
internal sealed class PodWorker(KubeletContext kubelet, V1Pod pod)
{
    private readonly PodStatusWriter _status = new(kubelet.Store, pod);
    private readonly PodVolumes _volumes = new(kubelet.Store, Path.Combine(kubelet.Directory, pod.Metadata.Uid));
    private readonly PodContainers _containers = new(kubelet, pod);

    public string Uid => pod.Metadata.Uid;

    /// <summary>The engine id of a container of this pod once it was created.</summary>
    public string? ContainerId(string name) => _containers.Id(name);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Schedule() && await PrepareAsync(cancellationToken).ConfigureAwait(false) is { } parameters)
            {
                await _containers.StartAsync(parameters, cancellationToken).ConfigureAwait(false);
                await _containers.MonitorAsync(cancellationToken).ConfigureAwait(false);
            }

            await WaitForRemovalAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _containers.RemoveAllAsync().ConfigureAwait(false);
            try
            {
                Directory.Delete(Path.Combine(kubelet.Directory, pod.Metadata.Uid), recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // no volumes
            }
        }
    }

    private bool Schedule()
    {
        var current = _status.Current();
        if (current is null)
        {
            return false;
        }

        if (current.Spec.NodeName is null && PodScheduler.Check(current, kubelet.Options) is { } problem)
        {
            var updated = _status.Update((p, now) =>
            {
                PodStatusWriter.SetCondition(p.Status, "PodScheduled", false, now, "Unschedulable", problem);
                p.Status.Phase = "Pending";
            });
            kubelet.Events.Record(updated ?? current, "Warning", "FailedScheduling", problem, "default-scheduler");
            return false;
        }

        var bound = _status.Update((p, now) =>
        {
            p.Spec.NodeName ??= kubelet.Options.NodeName;
            PodStatusWriter.SetCondition(p.Status, "PodScheduled", true, now);
            PodStatusWriter.SetCondition(p.Status, "PodReadyToStartContainers", true, now);
            PodStatusWriter.SetCondition(p.Status, "Initialized", true, now);
            p.Status.Phase = "Pending";
            p.Status.HostIP = "127.0.0.1";
            p.Status.HostIPs = [new V1HostIP { Ip = "127.0.0.1" }];
            p.Status.PodIP = "127.0.0.1";
            p.Status.PodIPs = [new V1PodIP { Ip = "127.0.0.1" }];
            p.Status.StartTime ??= now;
            foreach (var container in p.Spec.Containers)
            {
                PodStatusWriter.ContainerStatus(p.Status, container).State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } };
            }

            PodStatusWriter.SetReadiness(p.Status, now);
        });
        if (bound is null)
        {
            return false;
        }

        kubelet.Events.Record(bound, "Normal", "Scheduled", $"Successfully assigned {bound.Metadata.NamespaceProperty}/{bound.Metadata.Name} to {kubelet.Options.NodeName}", "default-scheduler");
        return true;
    }

    /// <summary>Volumes, images and container configs; retried (with the waiting reasons shown) until usable or the pod goes.</summary>
    private async Task<IReadOnlyList<(V1Container Container, CreateContainerParameters Parameters)>?> PrepareAsync(CancellationToken cancellationToken)
    {
        var attempts = 0;
        while (_status.Current() is { Metadata.DeletionTimestamp: null } current)
        {
            V1Container? failing = null;
            try
            {
                _volumes.Prepare(current);
                var prepared = new List<(V1Container, CreateContainerParameters)>();
                foreach (var container in current.Spec.Containers)
                {
                    failing = container;
                    var image = await kubelet.Factory.CheckImageAsync(container.Image, cancellationToken).ConfigureAwait(false);
                    prepared.Add((container, kubelet.Factory.Build(current, container, image, _volumes, restartCount: 0)));
                }

                return prepared;
            }
            catch (KubeletError error)
            {
                attempts++;
                if (!await ShowWaitingAsync(current, failing, error, attempts, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }
        }

        return null;
    }

    private async Task<bool> ShowWaitingAsync(V1Pod current, V1Container? container, KubeletError error, int attempt, CancellationToken cancellationToken)
    {
        if (error.Reason == "ErrImagePull" && container is not null)
        {
            kubelet.Events.Record(current, "Normal", "Pulling", $"Pulling image \"{container.Image}\"", "kubelet");
        }

        if (container is not null && error.Reason != "ContainerCreating")
        {
            SetWaiting(container, error.Reason, error.Message);
        }

        kubelet.Events.Record(current, "Warning", error.EventReason, error.EventMessage, "kubelet");
        if (error.EventReason == "Failed" && error.Reason == "ErrImagePull")
        {
            kubelet.Events.Record(current, "Warning", "Failed", "Error: ErrImagePull", "kubelet");
        }
        else if (error.Reason == "InvalidImageName")
        {
            kubelet.Events.Record(current, "Warning", "Failed", "Error: InvalidImageName", "kubelet");
        }

        if (error.Reason == "ErrImagePull" && container is not null)
        {
            if (!await SleepUnlessDeletedAsync(kubelet.Options.ImagePullBackoff, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            SetWaiting(container, "ImagePullBackOff", $"Back-off pulling image \"{container.Image}\": ErrImagePull: {error.Message}");
            kubelet.Events.Record(current, "Normal", "BackOff", $"Back-off pulling image \"{container.Image}\"", "kubelet");
            kubelet.Events.Record(current, "Warning", "Failed", "Error: ImagePullBackOff", "kubelet");
        }

        var backoff = kubelet.Options.ImagePullBackoff * Math.Min(attempt * 2, 10);
        return await SleepUnlessDeletedAsync(backoff, cancellationToken).ConfigureAwait(false);
    }

    private void SetWaiting(V1Container container, string reason, string message) =>
        _status.Update((p, now) =>
        {
            PodStatusWriter.ContainerStatus(p.Status, container).State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } };
            PodStatusWriter.SetReadiness(p.Status, now);
        });

    private async Task<bool> SleepUnlessDeletedAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        var start = kubelet.Time.GetTimestamp();
        while (kubelet.Time.GetElapsedTime(start) < delay)
        {
            await Task.Delay(kubelet.Options.ResyncInterval, kubelet.Time, cancellationToken).ConfigureAwait(false);
            if (_status.Current() is not { Metadata.DeletionTimestamp: null })
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Waits until the pod is deleted; a marked pod whose containers are stopped is removed here.</summary>
    private async Task WaitForRemovalAsync(CancellationToken cancellationToken)
    {
        while (_status.Current() is { } current)
        {
            if (current.Metadata.DeletionTimestamp is not null)
            {
                await _containers.StopAllAsync(current, cancellationToken).ConfigureAwait(false);
                _status.Remove();
                return;
            }

            await Task.Delay(kubelet.Options.ResyncInterval, kubelet.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}

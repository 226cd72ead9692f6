using System.Collections.Concurrent;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// The engine containers of one pod: started, watched (exit code, <c>OOMKilled</c>, probes, restarts by
/// <c>restartPolicy</c>), stopped on deletion within the grace period or killed on eviction, and removed at the end.
/// </summary>
internal sealed class PodContainers(KubeletContext kubelet, V1Pod pod)
{
    private readonly PodStatusWriter _status = new(kubelet.Store, pod);
    private readonly ConcurrentDictionary<string, string> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> _all = [];
    private readonly Dictionary<string, ContainerRun> _runs = new(StringComparer.Ordinal);

    public string? Id(string name) => _current.GetValueOrDefault(name);

    public async Task StartAsync(IReadOnlyList<(V1Container Container, CreateContainerParameters Parameters)> containers, CancellationToken cancellationToken)
    {
        foreach (var (container, parameters) in containers)
        {
            var run = _runs[container.Name] = new ContainerRun(container, parameters);
            await StartOneAsync(run, cancellationToken).ConfigureAwait(false);
        }

        var phase = _runs.Values.All(r => r.Done) ? Settle() : "Running";
        _status.Update((p, now) =>
        {
            p.Status.Phase = phase;
            PodStatusWriter.SetReadiness(p.Status, now);
        });
    }

    public async Task MonitorAsync(CancellationToken cancellationToken)
    {
        while (_runs.Values.Any(r => !r.Done))
        {
            var current = _status.Current();
            if (current is null)
            {
                await KillAllAsync().ConfigureAwait(false);
                return;
            }

            if (current.Metadata.DeletionTimestamp is not null)
            {
                await StopAllAsync(current, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (current.Status?.Reason == "Evicted")
            {
                await KillAllAsync().ConfigureAwait(false);
                await RecordExitsAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            await RecordExitsAsync(cancellationToken).ConfigureAwait(false);
            await ProbeAsync(current, cancellationToken).ConfigureAwait(false);
            await Task.Delay(kubelet.Options.ResyncInterval, kubelet.Time, cancellationToken).ConfigureAwait(false);
        }

        var phase = Settle();
        _status.Update((p, now) =>
        {
            if (p.Status.Phase is not ("Succeeded" or "Failed"))
            {
                p.Status.Phase = phase;
            }

            PodStatusWriter.SetReadiness(p.Status, now);
        });
    }

    /// <summary>Stops the running containers within the pod's grace period and records how they ended.</summary>
    public async Task StopAllAsync(V1Pod current, CancellationToken cancellationToken)
    {
        var grace = (uint)Math.Max(0, current.Metadata.DeletionGracePeriodSeconds ?? current.Spec.TerminationGracePeriodSeconds ?? 30);
        var running = _runs.Values.Where(r => !r.Done && r.Id is not null).ToList();
        foreach (var run in running)
        {
            kubelet.Events.Record(current, "Normal", "Killing", $"Stopping container {run.Container.Name}", "kubelet");
        }

        await Task.WhenAll(running.Select(r => StopQuietlyAsync(r.Id!, grace))).ConfigureAwait(false);
        await RecordExitsAsync(cancellationToken).ConfigureAwait(false);
        var phase = Settle();
        _status.Update((p, now) =>
        {
            p.Status.Phase = p.Status.Phase is "Succeeded" or "Failed" ? p.Status.Phase : phase;
            PodStatusWriter.SetReadiness(p.Status, now);
        });
    }

    public async Task RemoveAllAsync()
    {
        foreach (var id in _all.Distinct())
        {
            try
            {
                await kubelet.Docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException)
            {
                // already gone
            }
        }
    }

    private async Task StartOneAsync(ContainerRun run, CancellationToken cancellationToken)
    {
        var name = run.Container.Name;
        run.Parameters.Name = $"{run.Parameters.Name[..run.Parameters.Name.LastIndexOf('_')]}_{run.RestartCount}";
        var created = await kubelet.Docker.Containers.CreateContainerAsync(run.Parameters, cancellationToken).ConfigureAwait(false);
        _all.Add(created.ID);
        run.Id = created.ID;
        run.Done = false;
        run.Readiness = run.Container.ReadinessProbe is { } readiness ? new ProbeRunner(readiness, run.Container, kubelet.Docker, created.ID, kubelet.Time) : null;
        run.Liveness = run.Container.LivenessProbe is { } liveness ? new ProbeRunner(liveness, run.Container, kubelet.Docker, created.ID, kubelet.Time) : null;
        var current = _status.Current() ?? pod;
        kubelet.Events.Record(current, "Normal", "Pulled", $"Container image \"{run.Container.Image}\" already present on machine", "kubelet");
        kubelet.Events.Record(current, "Normal", "Created", $"Created container: {name}", "kubelet");
        try
        {
            await kubelet.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            run.Done = true;
            kubelet.Events.Record(current, "Warning", "Failed", $"Error: failed to start container \"{name}\": {ex.ResponseBody}", "kubelet");
            SetState(run, new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 128, Reason = "StartError", Message = ex.ResponseBody, ContainerID = "docker://" + created.ID, FinishedAt = kubelet.Store.Now() } }, ready: false);
            return;
        }

        _current[name] = created.ID;
        kubelet.Events.Record(current, "Normal", "Started", $"Started container {name}", "kubelet");
        var state = (await kubelet.Docker.Containers.InspectContainerAsync(created.ID, cancellationToken).ConfigureAwait(false)).State;
        SetState(run, new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Time(state.StartedAt) } }, ready: run.Readiness is null, started: true);
    }

    private async Task RecordExitsAsync(CancellationToken cancellationToken)
    {
        foreach (var run in _runs.Values.Where(r => !r.Done && r.Id is not null))
        {
            ContainerState state;
            try
            {
                state = (await kubelet.Docker.Containers.InspectContainerAsync(run.Id!, cancellationToken).ConfigureAwait(false)).State;
            }
            catch (DockerContainerNotFoundException)
            {
                state = new ContainerState { ExitCode = 137, FinishedAt = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) };
            }

            if (state.Running)
            {
                continue;
            }

            var terminated = new V1ContainerStateTerminated
            {
                ExitCode = (int)state.ExitCode,
                Reason = state.OOMKilled ? "OOMKilled" : state.ExitCode == 0 ? "Completed" : "Error",
                StartedAt = Time(state.StartedAt),
                FinishedAt = Time(state.FinishedAt),
                ContainerID = "docker://" + run.Id,
            };
            run.ExitCode = terminated.ExitCode;
            var current = _status.Current();
            var restart = current is { Metadata.DeletionTimestamp: null } && current.Status?.Reason != "Evicted"
                && (pod.Spec.RestartPolicy == "Always" || (pod.Spec.RestartPolicy == "OnFailure" && terminated.ExitCode != 0));
            if (!restart)
            {
                run.Done = true;
                SetState(run, new V1ContainerState { Terminated = terminated }, ready: false);
                continue;
            }

            await RestartAsync(current!, run, terminated, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RestartAsync(V1Pod current, ContainerRun run, V1ContainerStateTerminated last, CancellationToken cancellationToken)
    {
        var backoff = kubelet.Options.PodReplacementBackoff;
        var message = $"back-off {backoff.TotalSeconds:0}s restarting failed container={run.Container.Name} pod={current.Metadata.Name}_{current.Metadata.NamespaceProperty}({current.Metadata.Uid})";
        _status.Update((p, now) =>
        {
            var status = PodStatusWriter.ContainerStatus(p.Status, run.Container);
            status.LastState = new V1ContainerState { Terminated = last };
            status.State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = message } };
            status.Ready = false;
            status.Started = false;
            PodStatusWriter.SetReadiness(p.Status, now);
        });
        kubelet.Events.Record(current, "Warning", "BackOff", $"Back-off restarting failed container {run.Container.Name} in pod {current.Metadata.Name}_{current.Metadata.NamespaceProperty}({current.Metadata.Uid})", "kubelet");
        await Task.Delay(backoff, kubelet.Time, cancellationToken).ConfigureAwait(false);
        run.RestartCount++;
        _status.Update((p, _) => PodStatusWriter.ContainerStatus(p.Status, run.Container).RestartCount = run.RestartCount);
        await StartOneAsync(run, cancellationToken).ConfigureAwait(false);
    }

    private async Task ProbeAsync(V1Pod current, CancellationToken cancellationToken)
    {
        foreach (var run in _runs.Values.Where(r => !r.Done && r.Id is not null))
        {
            if (run.Liveness is { } liveness && await liveness.TickAsync(cancellationToken).ConfigureAwait(false) && liveness.Healthy == false)
            {
                kubelet.Events.Record(current, "Warning", "Unhealthy", $"Liveness probe failed: {liveness.LastMessage}", "kubelet");
                kubelet.Events.Record(current, "Normal", "Killing", $"Container {run.Container.Name} failed liveness probe, will be restarted", "kubelet");
                await StopQuietlyAsync(run.Id!, (uint)(current.Spec.TerminationGracePeriodSeconds ?? 30)).ConfigureAwait(false);
                continue;
            }

            if (run.Readiness is { } readiness && await readiness.TickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (readiness.Healthy == false)
                {
                    kubelet.Events.Record(current, "Warning", "Unhealthy", $"Readiness probe failed: {readiness.LastMessage}", "kubelet");
                }

                _status.Update((p, now) =>
                {
                    PodStatusWriter.ContainerStatus(p.Status, run.Container).Ready = readiness.Healthy == true;
                    PodStatusWriter.SetReadiness(p.Status, now);
                });
            }
        }
    }

    private async Task KillAllAsync()
    {
        foreach (var run in _runs.Values.Where(r => !r.Done && r.Id is not null))
        {
            try
            {
                await kubelet.Docker.Containers.KillContainerAsync(run.Id!, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DockerApiException)
            {
                // not running any more
            }
        }
    }

    private async Task StopQuietlyAsync(string id, uint grace)
    {
        try
        {
            await kubelet.Docker.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = grace }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // not running any more
        }
    }

    private string Settle() => _runs.Values.All(r => r.ExitCode == 0) ? "Succeeded" : "Failed";

    private void SetState(ContainerRun run, V1ContainerState state, bool ready, bool started = false) =>
        _status.Update((p, now) =>
        {
            var status = PodStatusWriter.ContainerStatus(p.Status, run.Container);
            status.State = state;
            status.Ready = ready;
            status.Started = started;
            status.ContainerID = "docker://" + run.Id;
            status.RestartCount = run.RestartCount;
            PodStatusWriter.SetReadiness(p.Status, now);
        });

    private static DateTime? Time(string? engineTime) =>
        DateTime.TryParse(engineTime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) && at.Year > 1
            ? new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc)
            : null;

    private sealed class ContainerRun(V1Container container, CreateContainerParameters parameters)
    {
        public V1Container Container { get; } = container;

        public CreateContainerParameters Parameters { get; } = parameters;

        public string? Id { get; set; }

        public bool Done { get; set; }

        public int? ExitCode { get; set; }

        public int RestartCount { get; set; }

        public ProbeRunner? Readiness { get; set; }

        public ProbeRunner? Liveness { get; set; }
    }
}

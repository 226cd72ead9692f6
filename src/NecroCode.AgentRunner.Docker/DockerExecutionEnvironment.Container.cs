using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using NecroCode.AgentRunner.Execution.Remote;

namespace NecroCode.AgentRunner.Docker;

public sealed partial class DockerExecutionEnvironment
{
    private const string RunnerLabel = "necrocode.runner";
    private const string TaskLabel = "necrocode.task";
    private const string JobLabel = "necrocode.job";
    private const string PidLabel = "necrocode.pid";
    private const string OwnerLabel = "necrocode.owner";

    private async Task<string> CreateContainerAsync(RemoteJobFolder job, TaskKey key, IReadOnlyList<string> secretNames, CancellationToken cancellationToken)
    {
        var mounts = new List<Mount> { new() { Type = "bind", Source = job.HostPath, Target = job.MountPath, ReadOnly = false } };
        if (_secrets.HostPath is { } secrets)
        {
            mounts.Add(new Mount { Type = "bind", Source = secrets, Target = RemoteSecretFolder.DefaultMountPath, ReadOnly = true });
        }

        mounts.AddRange(_options.ExtraMounts.Select(m => new Mount { Type = "bind", Source = m.Source, Target = m.Target ?? m.Source, ReadOnly = m.ReadOnly }));
        var parameters = new CreateContainerParameters
        {
            Image = _options.Image,
            Entrypoint = ["necrocode-runner"],
            Cmd = ["run", "--task", job.MountedTaskFile, "--output", "jsonl"],
            Env = [.. RemoteRunnerVariables.Build(_options.Environment, _options.Settings, job, _secrets, secretNames).Select(pair => pair.Key + "=" + pair.Value)],
            User = _options.User ?? "",
            WorkingDir = job.MountPath,
            Labels = new Dictionary<string, string>
            {
                [RunnerLabel] = _options.RunnerId,
                [TaskLabel] = key.ToString(),
                [JobLabel] = job.Id,
                [PidLabel] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                [OwnerLabel] = RemoteRunOwner.Current,
            },
            HostConfig = new HostConfig
            {
                Mounts = mounts,
                Memory = _options.MemoryBytes ?? 0,
                MemorySwap = _options.MemoryBytes ?? 0,
                NanoCPUs = _options.Cpus is { } cpus ? (long)(cpus * 1_000_000_000) : 0,
                PidsLimit = _options.PidsLimit,
                NetworkMode = _options.NetworkMode,
                ReadonlyRootfs = _options.ReadOnlyRootFileSystem,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,nosuid,nodev,size=" + _options.TmpfsBytes.ToString(CultureInfo.InvariantCulture) },
                SecurityOpt = ["no-new-privileges"],
                CapDrop = ["ALL"],
            },
        };
        var created = await EngineAsync(() => _client.Containers.CreateContainerAsync(parameters, cancellationToken)).ConfigureAwait(false);
        return created.ID;
    }

    /// <summary>Starts the container, pumps its output into <paramref name="output"/> and waits for its end, stopping it past <paramref name="timeout"/> or when cancelled.</summary>
    private async Task<RemoteRunEnd> RunContainerAsync(string containerId, TaskKey key, RemoteEventReader output, TimeSpan timeout, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        // Neither the start nor the opening of the log stream is cancelled half-way: the engine may already run
        // the container when a request is abandoned, and a cancellation is the wait's to handle below (stop the
        // container, a Cancelled result) wherever it comes.
        await EngineAsync(() => _client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), CancellationToken.None)).ConfigureAwait(false);
        Log.ContainerStarted(_logger, containerId, key.ToString(), _options.Image, _options.RunnerId);
        var stream = await EngineAsync(() => _client.Containers.GetContainerLogsAsync(
            containerId, false, new ContainerLogsParameters { Follow = true, ShowStdout = true, ShowStderr = true }, CancellationToken.None)).ConfigureAwait(false);
        var stopped = false;
        Exception? failure = null;
        Task pump;
        using (stream)
        {
            pump = ContainerLogs.PumpAsync(stream, output, linked.Token);
            try
            {
                var wait = _client.Containers.WaitContainerAsync(containerId, linked.Token);
                if (await Task.WhenAny(wait, pump).ConfigureAwait(false) == pump && pump.IsFaulted)
                {
                    // The log stream broke while the container runs: the engine connection is gone.
                    await pump.ConfigureAwait(false);
                }

                await wait.ConfigureAwait(false);
                await pump.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                stopped = true;
                if (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    Log.ContainerTimedOut(_logger, containerId, key.ToString(), timeout);
                }
                else
                {
                    Log.ContainerCancelled(_logger, containerId, key.ToString());
                }

                await EngineAsync(() => StopContainerAsync(containerId)).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsEngineFailure(ex))
            {
                failure = ex;
            }
        }

        // The stream is closed now, so the pump ends; what it read was forwarded.
        await AwaitQuietlyAsync(pump).ConfigureAwait(false);
        if (failure is not null)
        {
            await linked.CancelAsync().ConfigureAwait(false);
            Log.EngineFailedMidRun(_logger, failure, containerId, key.ToString());
            throw EngineError(failure, $"container {containerId[..Math.Min(12, containerId.Length)]} of {key}");
        }

        var state = (await EngineAsync(() => _client.Containers.InspectContainerAsync(containerId, CancellationToken.None)).ConfigureAwait(false)).State;
        Log.ContainerExited(_logger, containerId, key.ToString(), state.ExitCode, _time.GetElapsedTime(start).TotalMilliseconds);
        if (state.OOMKilled)
        {
            Log.OutOfMemory(_logger, containerId, key.ToString());
        }

        var timedOut = stopped && !cancellationToken.IsCancellationRequested;
        return new RemoteRunEnd
        {
            StartedAt = startedAt,
            ExitCode = state.ExitCode,
            OutOfMemory = state.OOMKilled,
            MemoryLimitBytes = _options.MemoryBytes,
            TimedOut = timedOut,
            Cancelled = stopped && !timedOut,
            Timeout = timeout,
        };
    }

    private async Task StopContainerAsync(string containerId)
    {
        var grace = (uint)Math.Ceiling(_options.StopGracePeriod.TotalSeconds);
        try
        {
            await _client.Containers.StopContainerAsync(containerId, new ContainerStopParameters { WaitBeforeKillSeconds = grace }, CancellationToken.None).ConfigureAwait(false);
            await _client.Containers.WaitContainerAsync(containerId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone.
        }
        catch (DockerApiException)
        {
            await _client.Containers.KillContainerAsync(containerId, new ContainerKillParameters(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task AwaitQuietlyAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || IsEngineFailure(ex))
        {
            // The log stream ends when the container is stopped or the connection is lost; what was read was forwarded.
        }
    }

    private async Task RemoveContainerAsync(string containerId)
    {
        try
        {
            await _client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone.
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException)
        {
            Log.RemoveFailed(_logger, ex, containerId);
        }
    }

    /// <summary>
    /// Once per environment: removes containers labelled with this runner's id whose host process is gone
    /// (a crashed or killed earlier run), with their job folders.
    /// </summary>
    private async Task SweepLeftoversOnceAsync(CancellationToken cancellationToken)
    {
        if (_swept)
        {
            return;
        }

        await _sweepGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_swept)
            {
                return;
            }

            var filter = new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [RunnerLabel + "=" + _options.RunnerId] = true } },
            };
            var containers = await EngineAsync(() => _client.Containers.ListContainersAsync(filter, cancellationToken)).ConfigureAwait(false);
            foreach (var container in containers.Where(c => !OwnerAlive(c.Labels)))
            {
                await RemoveContainerAsync(container.ID).ConfigureAwait(false);
                if (container.Labels.TryGetValue(JobLabel, out var job))
                {
                    RemoteJobFolder.DeleteLeftover(_options.JobsPath, _options.RunnerId, job);
                }

                Log.LeftoverRemoved(_logger, container.ID, _options.RunnerId);
            }

            _swept = true;
        }
        finally
        {
            _sweepGate.Release();
        }
    }

    /// <summary>
    /// Waits for the leftover sweep that ran beside a run. A failed sweep does not fail the run (its own engine calls
    /// report an unreachable engine); it is logged and tried again with the next run.
    /// </summary>
    private async Task SweepEndedAsync(Task sweep)
    {
        try
        {
            await sweep.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run was cancelled; the next run sweeps.
        }
        catch (Exception ex) when (ex is ExecutionEnvironmentException or IOException or UnauthorizedAccessException)
        {
            // The engine's answer, or a leftover's job folder that could not be deleted.
            Log.SweepFailed(_logger, ex, _options.RunnerId);
        }
    }

    /// <summary>
    /// Whether the host process that created a container still runs: by its <c>necrocode.owner</c> label (pid and
    /// start time, so a reused pid, this process's included, does not count). A container with only the older
    /// <c>necrocode.pid</c> label is alive while that pid runs and is not this process (which labels its own).
    /// </summary>
    private static bool OwnerAlive(IDictionary<string, string>? labels)
    {
        if (labels is not null && labels.TryGetValue(OwnerLabel, out var owner))
        {
            return RemoteRunOwner.IsAlive(owner);
        }

        if (labels is null || !labels.TryGetValue(PidLabel, out var text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        return pid != Environment.ProcessId && RemoteRunOwner.Label(pid) is not null;
    }
}

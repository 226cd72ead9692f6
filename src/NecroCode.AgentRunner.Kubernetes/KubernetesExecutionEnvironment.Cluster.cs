using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using NecroCode.AgentRunner.Execution.Remote;
using NecroCode.AgentRunner.Kubernetes.Lifecycle;
using NecroCode.AgentRunner.Kubernetes.Manifests;

namespace NecroCode.AgentRunner.Kubernetes;

public sealed partial class KubernetesExecutionEnvironment
{
    /// <summary>The setting that makes the runner clone origin into its empty slot.</summary>
    private const string OriginVariable = "NecroCode__Git__Origin";

    /// <summary>The setting that makes the runner run the task under the host's writer id.</summary>
    private const string RunnerIdVariable = "NecroCode__Execution__RunnerId";

    /// <summary>What the task's Secret and Job are made of: the task as the pod sees it, its secret files and variables.</summary>
    private async Task<TaskManifestInput> InputAsync(TaskContext task, TaskKey key, string jobName, string writer, CancellationToken cancellationToken)
    {
        var origin = _options.OriginUrl;
        if (origin is null)
        {
            var (url, problem) = await SlotOrigin.ReadAsync(task.SlotPath, _remote, cancellationToken).ConfigureAwait(false);
            origin = url ?? throw new ExecutionEnvironmentException($"The pod of {key} has no origin to clone: {problem}; set NecroCode:Kubernetes:OriginUrl.");
        }

        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            throw new ExecutionEnvironmentException($"The origin URL of {key} holds credentials; the pod's git token comes from the secret files (NecroCode:Kubernetes:SecretsPath), so give the URL without them.");
        }

        var names = _secrets.Learn(_masker);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            files[name] = await File.ReadAllBytesAsync(Path.Combine(_secrets.HostPath!, name), cancellationToken).ConfigureAwait(false);
        }

        var variables = new Dictionary<string, string>(
            RemoteRunnerVariables.BuildWithRoot(_options.Environment, _options.Settings, JobLabels.StatePath, _secrets, names),
            StringComparer.Ordinal)
        {
            [OriginVariable] = origin,
            [RunnerIdVariable] = writer,
        };
        variables.TryAdd("HOME", "/tmp");
        var inner = task with { SlotPath = JobLabels.SlotPath, SlotId = task.SlotId ?? "repo" };
        return new TaskManifestInput(jobName, key, writer, RemoteRunOwner.Current, AgentRunnerJson.Serialize(inner), files, variables, task.Timeout + _options.DeadlineMargin);
    }

    /// <summary>Creates the Job, then its Secret owned by it (the pod waits for the Secret's volume).</summary>
    private async Task CreateAsync(TaskManifestInput input, CancellationToken cancellationToken)
    {
        var job = TaskManifests.Job(_options, input);
        var secret = TaskManifests.Secret(_options, input);
        k8s.Models.V1Job created;
        try
        {
            created = await _calls.RunAsync(ct => _client.BatchV1.CreateNamespacedJobAsync(job, _options.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new TaskConflictException(
                $"A Job of {input.Task} is already in namespace '{_options.Namespace}' ({input.JobName}): a run of the task goes on, or an earlier one is not deleted yet " +
                $"(kubectl delete job {input.JobName} -n {_options.Namespace}); nothing was started.",
                input.JobName);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
        {
            throw ApiError(ex, $"creating the Job {input.JobName}");
        }

        TaskManifests.SetOwner(secret, created);
        try
        {
            await _calls.RunAsync(ct => _client.CoreV1.CreateNamespacedSecretAsync(secret, _options.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
        {
            await DeleteQuietlyAsync(input.JobName).ConfigureAwait(false);
            throw ApiError(ex, $"creating the Secret {input.JobName}");
        }
    }

    private async Task DeleteQuietlyAsync(string jobName)
    {
        try
        {
            await _sweep.DeleteAsync(jobName, CancellationToken.None).ConfigureAwait(false);
            Log.JobDeleted(_logger, jobName);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
        {
            Log.DeleteFailed(_logger, jobName, Mask(ex.Message));
        }
    }

    /// <summary>Once per environment: deletes the Jobs of this runner id whose host process is gone.</summary>
    private async Task SweepLeftoversOnceAsync(CancellationToken cancellationToken)
    {
        if (_swept)
        {
            return;
        }

        await _sweepGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_swept)
            {
                await _sweep.SweepAsync(cancellationToken).ConfigureAwait(false);
                _swept = true;
            }
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
        {
            throw ApiError(ex, "listing leftover Jobs");
        }
        finally
        {
            _sweepGate.Release();
        }
    }

    /// <summary>The typed error of a failed API call: the server's status and message, masked.</summary>
    private ExecutionEnvironmentException ApiError(Exception ex, string doing)
    {
        if (ex is HttpOperationException http)
        {
            var message = http.Response.Content is { Length: > 0 } body ? StatusMessage(body) : http.Message;
            return new ExecutionEnvironmentException(
                $"The Kubernetes API server refused {doing} in namespace '{_options.Namespace}' ({(int)http.Response.StatusCode}): {Mask(message)}",
                ex,
                isTransient: ClusterCalls.IsTransient(ex));
        }

        return new ExecutionEnvironmentException($"The Kubernetes API server did not answer while {doing}: {Mask(ex.Message)}", ex, isTransient: true);
    }

    private static string StatusMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text ? text : body;
        }
        catch (JsonException)
        {
            return body.Length > 500 ? body[..500] + "…" : body;
        }
    }

    private string Mask(string text) => _masker is null ? text : _masker.Apply(text);
}

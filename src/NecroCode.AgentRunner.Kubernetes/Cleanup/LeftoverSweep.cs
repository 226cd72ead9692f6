using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Execution.Remote;
using NecroCode.AgentRunner.Kubernetes.Lifecycle;
using NecroCode.AgentRunner.Kubernetes.Manifests;

namespace NecroCode.AgentRunner.Kubernetes.Cleanup;

/// <summary>
/// Deletes what crashed hosts left: Jobs labelled with this runner's id whose owner process (annotation
/// <c>necrocode.dev/owner</c>) no longer runs, and their Secrets; and deletes a Job with its Secret (propagation
/// <c>Background</c>, so its pods go too).
/// </summary>
internal sealed partial class LeftoverSweep(IKubernetes client, ClusterCalls calls, KubernetesOptions options, ILogger logger)
{
    /// <summary>Deletes the Jobs (and Secrets) of this runner whose owners are gone; returns their names.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var selector = JobLabels.Runner + "=" + options.RunnerId;
        var jobs = await calls.RunAsync(ct => client.BatchV1.ListNamespacedJobAsync(options.Namespace, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var removed = new List<string>();
        foreach (var job in jobs.Items.Where(j => !OwnerAlive(j.Metadata)))
        {
            await DeleteAsync(job.Metadata.Name, cancellationToken).ConfigureAwait(false);
            Log.LeftoverDeleted(logger, job.Metadata.Name, options.RunnerId);
            removed.Add(job.Metadata.Name);
        }

        // A Secret whose Job was never created (the host died in between) is a leftover too.
        var secrets = await calls.RunAsync(ct => client.CoreV1.ListNamespacedSecretAsync(options.Namespace, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var jobNames = jobs.Items.Select(j => j.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var secret in secrets.Items.Where(s => (removed.Contains(s.Metadata.Name) || !jobNames.Contains(s.Metadata.Name)) && !OwnerAlive(s.Metadata)))
        {
            await DeleteSecretAsync(secret.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>Deletes a Job (its pods in the background) and its Secret; what is already gone is fine.</summary>
    public async Task DeleteAsync(string jobName, CancellationToken cancellationToken)
    {
        try
        {
            await calls.RunAsync(
                ct => client.BatchV1.DeleteNamespacedJobAsync(jobName, options.Namespace, new V1DeleteOptions { PropagationPolicy = "Background" }, propagationPolicy: "Background", cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Gone already.
        }

        await DeleteSecretAsync(jobName, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteSecretAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await calls.RunAsync(ct => client.CoreV1.DeleteNamespacedSecretAsync(name, options.Namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted with its Job by the garbage collector, or never created.
        }
    }

    private static bool OwnerAlive(V1ObjectMeta metadata) =>
        metadata.Annotations is not null && metadata.Annotations.TryGetValue(JobLabels.Owner, out var owner) && RemoteRunOwner.IsAlive(owner);
}

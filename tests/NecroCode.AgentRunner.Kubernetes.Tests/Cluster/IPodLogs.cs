using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>What <c>pods/{name}/log</c> asks for.</summary>
internal sealed record PodLogQuery(string Container, bool Follow, DateTimeOffset? Since, bool Timestamps, long? TailLines, long? LimitBytes);

/// <summary>The node side of <c>pods/{name}/log</c>: the container's output from the engine.</summary>
internal interface IPodLogs
{
    /// <summary>Writes the log; throws <see cref="ApiError"/> (before writing) when the container has not started.</summary>
    Task WriteAsync(V1Pod pod, PodLogQuery query, Stream output, Func<Task> started, CancellationToken cancellationToken);
}

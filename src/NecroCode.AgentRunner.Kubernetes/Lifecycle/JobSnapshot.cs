using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

/// <summary>The Job and its pod as last seen.</summary>
/// <param name="Pod">The newest pod, or the last one deleted when no other is left; null before the first.</param>
/// <param name="Job">The Job; null when it is gone.</param>
/// <param name="PodDeleted">Whether <paramref name="Pod"/> was deleted.</param>
internal sealed record JobSnapshot(V1Pod? Pod, V1Job? Job, bool PodDeleted);

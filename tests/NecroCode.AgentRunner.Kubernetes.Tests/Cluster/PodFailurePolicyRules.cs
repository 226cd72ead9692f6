using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>A Job's <c>podFailurePolicy</c> applied to one failed pod: the first matching rule's action and its message.</summary>
internal static class PodFailurePolicyRules
{
    /// <summary>Returns (<c>FailJob</c>/<c>Ignore</c>/<c>Count</c>, message) of the first rule the pod matches, or null.</summary>
    public static (string Action, string Message)? Match(V1PodFailurePolicy? policy, V1Pod pod)
    {
        var rules = policy?.Rules ?? [];
        for (var index = 0; index < rules.Count; index++)
        {
            var rule = rules[index];
            if (rule.OnExitCodes is { } codes)
            {
                foreach (var status in (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []))
                {
                    if (status.State?.Terminated is not { ExitCode: not 0 } terminated || (codes.ContainerName is { } name && name != status.Name))
                    {
                        continue;
                    }

                    var listed = codes.Values.Contains(terminated.ExitCode);
                    if (codes.OperatorProperty == "In" ? listed : !listed)
                    {
                        return (rule.Action, $"Container {status.Name} for pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} failed with exit code {terminated.ExitCode} matching {rule.Action} rule at index {index}");
                    }
                }
            }

            foreach (var pattern in rule.OnPodConditions ?? [])
            {
                if (pod.Status?.Conditions?.Any(c => c.Type == pattern.Type && c.Status == (pattern.Status ?? "True")) == true)
                {
                    return (rule.Action, $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} has condition {pattern.Type} matching {rule.Action} rule at index {index}");
                }
            }
        }

        return null;
    }
}

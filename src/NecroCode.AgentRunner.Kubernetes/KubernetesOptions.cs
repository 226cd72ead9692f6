using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Kubernetes;

/// <summary>
/// Settings of Kubernetes Job execution: where and how the runner's Job is created. The
/// execution environment itself is not part of this release; these options fix the shape hosts
/// configure today.
/// </summary>
public sealed class KubernetesOptions
{
    /// <summary>The configuration section the command-line host binds these options to: <c>NecroCode:Kubernetes</c>.</summary>
    public const string SectionName = "NecroCode:Kubernetes";

    /// <summary>The namespace Jobs are created in. Default <c>default</c>.</summary>
    [Required]
    public string Namespace { get; set; } = "default";

    /// <summary>The runner image. Default <c>necrocode-runner:latest</c>.</summary>
    [Required]
    public string Image { get; set; } = "necrocode-runner:latest";

    /// <summary>The Kubernetes secret mounted read-only as the runner's secret folder; none when null.</summary>
    public string? SecretName { get; set; }

    /// <summary>Memory limit of the runner container, in Kubernetes quantity syntax (e.g. <c>2Gi</c>); none when null.</summary>
    public string? MemoryLimit { get; set; }

    /// <summary>CPU limit of the runner container, in Kubernetes quantity syntax (e.g. <c>1500m</c>); none when null.</summary>
    public string? CpuLimit { get; set; }

    /// <summary>Seconds a finished Job is kept before Kubernetes deletes it. Default 600.</summary>
    [Range(0, 7 * 24 * 3600)]
    public int TtlSecondsAfterFinished { get; set; } = 600;

    /// <summary>Service account of the runner's pod; the namespace default when null.</summary>
    public string? ServiceAccountName { get; set; }

    /// <summary>Non-secret environment variables of the runner container.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

namespace NecroCode.AgentRunner.Kubernetes;

/// <summary>A toleration of <see cref="KubernetesOptions.Tolerations"/>, as in a pod spec.</summary>
public sealed class KubernetesToleration
{
    /// <summary>The taint's key; empty with <c>Exists</c> tolerates every taint.</summary>
    public string? Key { get; set; }

    /// <summary><c>Equal</c> (default) or <c>Exists</c>.</summary>
    public string Operator { get; set; } = "Equal";

    /// <summary>The taint's value (with <c>Equal</c>).</summary>
    public string? Value { get; set; }

    /// <summary><c>NoSchedule</c>, <c>PreferNoSchedule</c>, <c>NoExecute</c>, or null for every effect.</summary>
    public string? Effect { get; set; }

    /// <summary>With <c>NoExecute</c>: how long the pod stays once tainted; null: for ever.</summary>
    public long? TolerationSeconds { get; set; }
}

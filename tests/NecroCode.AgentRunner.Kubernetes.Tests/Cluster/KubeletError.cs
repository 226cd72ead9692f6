namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// Why the kubelet cannot start a container yet: the container's waiting <paramref name="reason"/> and message, and
/// the Warning event it records (<paramref name="eventReason"/>, <paramref name="eventMessage"/>).
/// </summary>
internal sealed class KubeletError(string reason, string message, string eventReason, string eventMessage) : Exception(message)
{
    public string Reason { get; } = reason;

    public string EventReason { get; } = eventReason;

    public string EventMessage { get; } = eventMessage;

    public static KubeletError Config(string message) => new("CreateContainerConfigError", message, "Failed", "Error: " + message);

    public static KubeletError Mount(string volume, string why) =>
        new("ContainerCreating", "", "FailedMount", $"MountVolume.SetUp failed for volume \"{volume}\" : {why}");
}

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>How a <see cref="RemoteRunSettlement"/> settles runs.</summary>
/// <param name="RunnerId">The host runner's id: the task is marked Running under it, and it stands in for a runner id the run did not report plainly.</param>
/// <param name="VerifyPushSetting">The setting that turns the check of reported pushes off (e.g. <c>NecroCode:Docker:VerifyPush</c>), for messages.</param>
public sealed record RemoteSettlementOptions(string RunnerId, string VerifyPushSetting)
{
    /// <summary>The largest file the host copies out of the job folder (an artifact, the task's registry files), in bytes. Default 256 MiB.</summary>
    public long MaxImportBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// How the run's process can be stopped from outside, named when it was killed by a signal before it wrote a result
    /// (e.g. <c>docker kill or docker stop</c>); null names none.
    /// </summary>
    public string? OutsideStops { get; init; }

    /// <summary>
    /// The remote a run pushes to, named in the push of a summary the host rebuilds from the registry when the run's own
    /// output was lost. Default <c>origin</c>.
    /// </summary>
    public string Remote { get; init; } = "origin";
}

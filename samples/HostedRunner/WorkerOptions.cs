using System.ComponentModel.DataAnnotations;

namespace HostedRunner;

/// <summary>
/// The service's own settings, in the <c>Worker</c> section. They sit beside the <c>NecroCode</c> section, not inside
/// it: every key under <c>NecroCode</c> must be one the runner knows, or the host refuses to start.
/// </summary>
internal sealed class WorkerOptions
{
    /// <summary>How long to wait for work when the queue is empty before asking again (a new task wakes the worker earlier).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan IdleWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When the service is asked to stop, how long a task in progress may still run to its end. After that it is
    /// cancelled: the run still records its task Failed (Cancelled), stores its artifacts and returns its slot.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

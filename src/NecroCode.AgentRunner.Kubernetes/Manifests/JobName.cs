using System.Security.Cryptography;
using System.Text;

namespace NecroCode.AgentRunner.Kubernetes.Manifests;

/// <summary>
/// The name of a task's Job (and of its Secret): <c>necrocode-&lt;spec&gt;-&lt;task&gt;-&lt;hash&gt;</c>, lower case, at most
/// 52 characters (so the pod names the Job controller derives stay within 63), the same for the same task and runner —
/// a Job left over from an earlier run of the task collides (409) instead of running twice.
/// </summary>
internal static class JobName
{
    private const int MaxLength = 52;

    /// <summary>The Job's name for <paramref name="task"/> run by <paramref name="runnerId"/>.</summary>
    public static string For(TaskKey task, string runnerId)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runnerId + "\n" + task)))[..10];
        var readable = Sanitize(task.SpecName) + "-" + Sanitize(task.TaskId);
        var room = MaxLength - "necrocode-".Length - hash.Length - 1;
        if (readable.Length > room)
        {
            readable = readable[..room];
        }

        readable = readable.Trim('-');
        return "necrocode-" + (readable.Length == 0 ? "" : readable + "-") + hash;
    }

    private static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.ToLowerInvariant())
        {
            var keep = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (keep != '-' || (builder.Length > 0 && builder[^1] != '-'))
            {
                builder.Append(keep);
            }
        }

        return builder.ToString().Trim('-');
    }
}

using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Tests.Concurrency;

/// <summary>
/// A shared file of <c>enter NAME</c> / <c>exit NAME</c> lines, appended under a lock of its own, so that its
/// order is the order in which holders (threads or processes) entered and left; no timestamps needed.
/// </summary>
internal static class OverlapLog
{
    public static void Append(string path, string line)
    {
        using var held = FileLock.AcquireAsync(path + ".lock", FileLockMode.Exclusive, TimeSpan.FromMinutes(2), TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();
        File.AppendAllText(path, line + "\n");
    }

    /// <summary>The most holders inside at once, after checking that every holder entered once and then left once.</summary>
    public static int MaxOverlap(string path, int holders)
    {
        var lines = File.ReadAllLines(path);
        var inside = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var max = 0;
        foreach (var line in lines)
        {
            var name = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            if (line.StartsWith("enter ", StringComparison.Ordinal))
            {
                Assert.That(inside.Add(name) && !done.Contains(name), Is.True, $"{name} entered twice");
                max = Math.Max(max, inside.Count);
            }
            else
            {
                Assert.That(inside.Remove(name) && done.Add(name), Is.True, $"{name} left without entering");
            }
        }

        Assert.That((inside.Count, done.Count), Is.EqualTo((0, holders)), "every holder enters and leaves once");
        return max;
    }
}

namespace NecroCode.AgentRunner.FileSystem;

/// <summary>
/// The queue's doorbell: <c>&lt;registry&gt;/queue/doorbell</c>, replaced (atomically, with a new stamp) whenever a task
/// becomes claimable. An idle worker watches the folder (inotify) instead of polling; the stamp it saw at its last look
/// tells it that it missed a ring between that look and the start of its watch.
/// </summary>
internal sealed class QueueDoorbell(string folder, TimeProvider timeProvider)
{
    private const string FileName = "doorbell";

    private string Path => System.IO.Path.Combine(folder, FileName);

    /// <summary>Rings: every watcher wakes.</summary>
    public Task RingAsync(CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(Path, System.Text.Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N")), cancellationToken);

    /// <summary>The current stamp; null before the first ring.</summary>
    public string? Stamp()
    {
        try
        {
            return File.ReadAllText(Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits for a ring, or until <paramref name="timeout"/>; returns at once when the stamp is no longer
    /// <paramref name="seen"/> (a ring came before the watch began).
    /// </summary>
    public async Task WaitAsync(string? seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        AtomicFile.EnsureDirectory(folder);
        var rang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(folder) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        void OnChange(object sender, FileSystemEventArgs e)
        {
            if (string.Equals(e.Name, FileName, StringComparison.Ordinal))
            {
                rang.TrySetResult();
            }
        }

        watcher.Created += OnChange;
        watcher.Changed += OnChange;
        watcher.Renamed += OnChange;
        watcher.Error += (_, _) => rang.TrySetResult();
        watcher.EnableRaisingEvents = true;
        if (!string.Equals(Stamp(), seen, StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            await rang.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The timeout is the fallback: claims that lapsed ring no bell.
        }
    }
}

namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// Loads playbooks: reads the YAML, splices includes, merges an extending playbook into
/// <see cref="Playbook.Default"/>, parses every condition and validates everything before anything runs.
/// </summary>
public static class PlaybookLoader
{
    /// <summary>Loads and validates a playbook file.</summary>
    /// <param name="path">The playbook file; includes are resolved relative to it.</param>
    /// <param name="cancellationToken">Cancels reading the file.</param>
    /// <returns>The resolved playbook.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="PlaybookException">The file cannot be read or the playbook is invalid; every problem is listed.</exception>
    public static Task<Playbook> LoadAsync(string path, CancellationToken cancellationToken) => LoadAsync(path, checkOrder: false, cancellationToken);

    private static async Task<Playbook> LoadAsync(string path, bool checkOrder, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new PlaybookException([new PlaybookError(path, 0, 0, $"the playbook cannot be read: {ex.Message}")], ex);
        }

        return PlaybookReader.Read(text, path, path, baseDirectory: null, File.ReadAllText, checkOrder);
    }

    /// <summary>Parses and validates playbook text.</summary>
    /// <param name="yaml">The playbook YAML.</param>
    /// <param name="sourceName">The name errors give for the text (e.g. its file name).</param>
    /// <param name="baseDirectory">Where relative includes are looked up; the current directory when null.</param>
    /// <returns>The resolved playbook.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="yaml"/> or <paramref name="sourceName"/> is null.</exception>
    /// <exception cref="PlaybookException">The playbook is invalid; every problem is listed.</exception>
    public static Playbook Parse(string yaml, string sourceName, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        return PlaybookReader.Read(yaml, sourceName, sourcePath: null, baseDirectory, File.ReadAllText);
    }

    /// <summary>
    /// Chooses the playbook of a run: the task's <see cref="TaskContext.PlaybookPath"/>, else <paramref name="fallbackPath"/>
    /// (e.g. from the runner's options), else <see cref="Playbook.Default"/>. Besides what <see cref="LoadAsync(string, CancellationToken)"/>
    /// checks, a run's playbook must have its steps in an order a run can follow: each step after the built-in step it
    /// needs (a command step after <c>prepare-workspace</c>, commit after test, push after commit, ...), and the built-in
    /// test step without <c>if</c> or <c>continue-on-error</c> (docs/playbooks.md, "Step order").
    /// </summary>
    /// <param name="task">The task.</param>
    /// <param name="fallbackPath">The runner's playbook when the task names none; null for the default.</param>
    /// <param name="cancellationToken">Cancels reading the file.</param>
    /// <returns>The resolved playbook.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is null.</exception>
    /// <exception cref="PlaybookException">The chosen playbook cannot be read or is invalid; every problem is listed.</exception>
    public static Task<Playbook> ResolveAsync(TaskContext task, string? fallbackPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var path = !string.IsNullOrWhiteSpace(task.PlaybookPath) ? task.PlaybookPath : fallbackPath;
        return string.IsNullOrWhiteSpace(path) ? Task.FromResult(Playbook.Default) : LoadAsync(path, checkOrder: true, cancellationToken);
    }
}

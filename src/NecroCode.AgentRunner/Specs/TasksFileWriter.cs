using System.Text;
using System.Text.RegularExpressions;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Specs;

/// <summary>
/// Ticks tasks off in <c>tasks.md</c>: changes the one character inside a task's checkbox (and its parents'), and
/// nothing else — line endings, byte order mark, encoding and every other byte stay as they were. The new content
/// goes to a temp file in the same folder that is renamed over the file, so a crash never leaves half of it; when the
/// file changed on disk while the change was being made (an editor saved it), the change is made again on what is
/// there now.
/// </summary>
internal static partial class TasksFileWriter
{
    private const int MaxAttempts = 10;

    /// <summary>Sets the checkbox of task <paramref name="taskId"/>, and brings its parents' in line.</summary>
    /// <param name="path">The <c>tasks.md</c> file.</param>
    /// <param name="taskId">The task's number.</param>
    /// <param name="status">Its new status.</param>
    /// <param name="cancellationToken">Cancels the change before the rename.</param>
    /// <returns>Whether the task is in the file (false: it was removed or renumbered since the spec was read; nothing changed).</returns>
    /// <exception cref="IOException">The file could not be read or replaced, or kept changing under the writer.</exception>
    public static Task<bool> SetStatusAsync(string path, string taskId, SpecTaskStatus status, CancellationToken cancellationToken) =>
        SetStatusAsync(path, taskId, status, beforeReplace: null, cancellationToken);

    /// <summary>As <see cref="SetStatusAsync(string, string, SpecTaskStatus, CancellationToken)"/>; <paramref name="beforeReplace"/> runs once the temp file is written, before the file is checked and replaced (tests play an editor there).</summary>
    internal static async Task<bool> SetStatusAsync(string path, string taskId, SpecTaskStatus status, Action<int>? beforeReplace, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var original = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            if (Apply(original, taskId, status) is not { } updated)
            {
                return false;
            }

            if (updated.AsSpan().SequenceEqual(original))
            {
                return true;
            }

            var current = attempt;
            if (await ReplaceIfUnchangedAsync(path, original, updated, () => beforeReplace?.Invoke(current), cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        throw new IOException($"'{path}' kept changing while task {taskId} was being ticked off ({MaxAttempts} attempts); try again.");
    }

    /// <summary>The file's bytes with the task's checkbox and its parents' set, or null when the task is not in it.</summary>
    internal static byte[]? Apply(byte[] content, string taskId, SpecTaskStatus status)
    {
        var encoding = SpecText.EncodingOf(content, out var preamble);
        var text = encoding.GetString(content, preamble, content.Length - preamble);
        var entries = TasksDocument.Parse(SpecText.Parse("tasks.md", text), []);
        var task = entries.FirstOrDefault(e => e.Id == taskId);
        if (task is null)
        {
            return null;
        }

        var marks = new Dictionary<int, char> { [task.Line] = MarkOf(status) };
        var statuses = entries.ToDictionary(e => e, e => ReferenceEquals(e, task) ? status : e.Status);
        for (var parent = task.Parent; parent is not null; parent = parent.Parent)
        {
            var children = parent.Children.Where(c => !c.IsOptional || statuses[c] != SpecTaskStatus.NotStarted).ToList();
            var parentStatus = children.Count > 0 && children.All(c => statuses[c] == SpecTaskStatus.Done) ? SpecTaskStatus.Done
                : parent.Children.Any(c => statuses[c] != SpecTaskStatus.NotStarted) ? SpecTaskStatus.InProgress
                : SpecTaskStatus.NotStarted;
            statuses[parent] = parentStatus;
            marks[parent.Line] = MarkOf(parentStatus);
        }

        return encoding is UTF8Encoding ? SetMarksInPlace(content, marks) : SetMarksByText(text, encoding, content.AsSpan(0, preamble), marks);
    }

    /// <summary>UTF-8: the checkbox and everything before it on its line are ASCII, so each mark is one byte, changed in place.</summary>
    private static byte[] SetMarksInPlace(byte[] content, Dictionary<int, char> marks)
    {
        var result = (byte[])content.Clone();
        foreach (var (line, start, length) in Lines(Array.ConvertAll(content, b => (char)b)))
        {
            if (marks.TryGetValue(line, out var mark) && MarkIndex(Encoding.UTF8.GetString(result, start, Math.Min(length, 64))) is { } index)
            {
                result[start + index] = (byte)mark;
            }
        }

        return result;
    }

    /// <summary>UTF-16 or UTF-32 (with a byte order mark): the mark is changed in the text, which is encoded again.</summary>
    private static byte[] SetMarksByText(string text, Encoding encoding, ReadOnlySpan<byte> preamble, Dictionary<int, char> marks)
    {
        var chars = text.ToCharArray();
        foreach (var (line, start, length) in Lines(chars))
        {
            if (marks.TryGetValue(line, out var mark) && MarkIndex(text.Substring(start, Math.Min(length, 64))) is { } index)
            {
                chars[start + index] = mark;
            }
        }

        return [.. preamble, .. encoding.GetBytes(chars)];
    }

    /// <summary>The lines (numbered from 1) as the reader counts them: ended by <c>\r\n</c>, <c>\n</c> or <c>\r</c>.</summary>
    private static IEnumerable<(int Line, int Start, int Length)> Lines(char[] text)
    {
        var start = 0;
        var line = 1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] is not ('\n' or '\r'))
            {
                continue;
            }

            yield return (line++, start, i - start);
            if (i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n')
            {
                i++;
            }

            start = i + 1;
        }
    }

    private static async Task<bool> ReplaceIfUnchangedAsync(string path, byte[] original, byte[] updated, Action beforeReplace, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        UnixFileMode? mode = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(path);
        try
        {
            ExclusiveFile.Write(temp, updated, durable: true, mode: mode);
            cancellationToken.ThrowIfCancellationRequested();
            beforeReplace();

            // An editor may have saved the file meanwhile: then its content wins and the change is made again on it.
            var now = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            if (!now.AsSpan().SequenceEqual(original))
            {
                return false;
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        UnixFile.FsyncDirectory(directory);
        return true;
    }

    private static char MarkOf(SpecTaskStatus status) => status switch
    {
        SpecTaskStatus.Done => 'x',
        SpecTaskStatus.InProgress => '-',
        _ => ' ',
    };

    /// <summary>Where the mark of a checkbox line is, or null when the line is not one.</summary>
    private static int? MarkIndex(string line) => CheckboxPattern().Match(line) is { Success: true } match ? match.Groups["mark"].Index : null;

    [GeneratedRegex(@"^[ \t]*[-*+][ \t]+\[(?<mark>[ xX~-])\]", RegexOptions.CultureInvariant)]
    private static partial Regex CheckboxPattern();
}

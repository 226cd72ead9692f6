using System.Text;

namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    /// <inheritdoc />
    /// <remarks>
    /// Every change is staged into a temporary index (<c>GIT_INDEX_FILE</c>, seeded from the real
    /// index so tracked files stay tracked even when ignored) and diffed with
    /// <c>git diff --cached --binary --full-index -M</c>: the patch carries binary contents, modes
    /// and symlinks and applies with <c>git apply --index</c>. The slot's own index is not touched.
    /// </remarks>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    /// <exception cref="WorkspaceException">The workspace is not a repository, or git failed.</exception>
    public async Task<WorkspaceDiff> GetDiffAsync(string path, string baseCommit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(baseCommit);
        var gitDirectory = OpenGitDirectory(path);
        var start = _time.GetTimestamp();
        var temporaryIndex = Path.Combine(Path.GetTempPath(), $"necrocode-diff-{Guid.NewGuid():N}.index");
        var attributesFile = temporaryIndex + ".attributes";
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = temporaryIndex };
        try
        {
            var realIndex = Path.Combine(gitDirectory, "index");
            byte[]? seed = null;
            if (File.Exists(realIndex))
            {
                // A copy keeps the index file's modification time, which git's racy-entry check compares each entry with:
                // a fresh file (newer than an entry written in the same second as a same-size edit) would hide that edit.
                File.Copy(realIndex, temporaryIndex);
                seed = await File.ReadAllBytesAsync(temporaryIndex, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _git.RunCheckedAsync(path, ["read-tree", baseCommit], _options.CommandTimeout, cancellationToken, environment).ConfigureAwait(false);
            }

            await _git.RunCheckedAsync(path, ["add", "--all"], _options.CommandTimeout, cancellationToken, environment).ConfigureAwait(false);
            string[] common = ["diff", "--cached", "-M", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", "--ignore-submodules=none"];
            string[] patchArguments = [.. common, "--binary", "--full-index", "--src-prefix=a/", "--dst-prefix=b/", baseCommit, "--"];
            // The list of changes (--raw: no content diff) runs beside the patch; both only read the temporary index.
            var patchTask = _git.RunCheckedAsync(path, patchArguments, _options.CommandTimeout, cancellationToken, environment);
            var summaryTask = _git.RunCheckedAsync(path, [.. common, "-z", "--raw", baseCommit, "--"], _options.CommandTimeout, cancellationToken, environment);
            await Task.WhenAll(patchTask, summaryTask).ConfigureAwait(false);
            var patch = await patchTask.ConfigureAwait(false);
            var changes = MarkBinary(ParseChanges((await summaryTask.ConfigureAwait(false)).StandardOutput), patch.StandardOutputBytes);
            if (changes is null)
            {
                // Sections and entries do not pair up (a type change is two sections): ask git for numstat.
                var summary = await _git.RunCheckedAsync(
                    path, [.. common, "-z", "--raw", "--numstat", baseCommit, "--"], _options.CommandTimeout, cancellationToken, environment).ConfigureAwait(false);
                changes = ParseChanges(summary.StandardOutput);
            }

            var text = await DecodePatchAsync(path, patch.StandardOutputBytes, changes, patchArguments, environment, attributesFile, cancellationToken).ConfigureAwait(false);
            Log.DiffCaptured(_logger, path, changes.Count, _time.GetElapsedTime(start).TotalMilliseconds);
            var diff = new WorkspaceDiff(text, changes);

            // A commit of exactly this diff (CommitRequest.Diff) installs this index instead of staging again.
            if (StagedIndex.Keep(diff, temporaryIndex, StagedIndex.Hash(seed)) is { } staged)
            {
                _staged[SlotRun.KeyOf(path)] = staged;
            }
            else
            {
                _staged.TryRemove(SlotRun.KeyOf(path), out _);
            }

            return diff;
        }
        finally
        {
            File.Delete(temporaryIndex);
            File.Delete(temporaryIndex + ".lock");
            File.Delete(attributesFile);
        }
    }

    /// <summary>
    /// Returns the patch as text. The patch is a string, so text files that are not UTF-8 (Latin-1 sources,
    /// say) would not survive decoding: those files are diffed again as binary (<c>-diff</c> attribute), which
    /// keeps the patch exact.
    /// </summary>
    private async Task<string> DecodePatchAsync(
        string path,
        byte[] patch,
        IReadOnlyList<FileChange> changes,
        string[] patchArguments,
        Dictionary<string, string> environment,
        string attributesFile,
        CancellationToken cancellationToken)
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        try
        {
            return strict.GetString(patch);
        }
        catch (DecoderFallbackException)
        {
            // Falls through to the binary re-run below.
        }

        var segments = SplitPatch(patch);
        var lines = new List<string>();
        for (var i = 0; i < segments.Count && i < changes.Count; i++)
        {
            if (!IsUtf8(strict, segments[i]))
            {
                lines.Add(EscapeAttributePattern(changes[i].Path) + " -diff");
                if (changes[i].OldPath is { } oldPath)
                {
                    lines.Add(EscapeAttributePattern(oldPath) + " -diff");
                }
            }
        }

        if (segments.Count != changes.Count || lines.Count == 0)
        {
            lines = [.. changes.Select(c => EscapeAttributePattern(c.Path) + " -diff")];
        }

        await File.WriteAllLinesAsync(attributesFile, lines, cancellationToken).ConfigureAwait(false);
        var rerun = await _git.RunCheckedAsync(
            path, ["-c", $"core.attributesFile={attributesFile}", .. patchArguments], _options.CommandTimeout, cancellationToken, environment).ConfigureAwait(false);
        return Encoding.UTF8.GetString(rerun.StandardOutputBytes);
    }

    /// <summary>
    /// Sets <see cref="FileChange.IsBinary"/> from the patch itself: its per-file sections come in the order of
    /// <c>--raw</c>, and a binary file's section carries <c>GIT binary patch</c> (the work a second
    /// <c>--numstat</c> diff would repeat).
    /// </summary>
    /// <returns>The changes, or null when the patch's sections do not pair up with them.</returns>
    private static IReadOnlyList<FileChange>? MarkBinary(IReadOnlyList<FileChange> changes, byte[] patch)
    {
        var segments = SplitPatch(patch);
        if (segments.Count != changes.Count || changes.Any(c => c.Kind == FileChangeKind.TypeChanged))
        {
            return null;
        }

        return [.. changes.Select((change, i) => IsBinarySection(segments[i]) ? change with { IsBinary = true } : change)];
    }

    private static bool IsBinarySection(byte[] section)
    {
        // The header ends where the content starts: the first hunk ("@@") or the binary marker.
        var binary = section.AsSpan().IndexOf("\nGIT binary patch\n"u8);
        if (binary < 0)
        {
            return false;
        }

        var hunk = section.AsSpan().IndexOf("\n@@ "u8);
        return hunk < 0 || binary < hunk;
    }

    private static List<byte[]> SplitPatch(byte[] patch)
    {
        var marker = "diff --git "u8.ToArray();
        var starts = new List<int>();
        for (var i = 0; i < patch.Length; i++)
        {
            if ((i == 0 || patch[i - 1] == (byte)'\n') && patch.AsSpan(i).StartsWith(marker))
            {
                starts.Add(i);
            }
        }

        return [.. starts.Select((start, n) => patch[start..(n + 1 < starts.Count ? starts[n + 1] : patch.Length)])];
    }

    private static bool IsUtf8(UTF8Encoding strict, byte[] bytes)
    {
        try
        {
            _ = strict.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>An anchored, C-quoted gitattributes pattern that matches exactly <paramref name="path"/>.</summary>
    private static string EscapeAttributePattern(string path)
    {
        var builder = new StringBuilder("\"/");
        foreach (var c in path)
        {
            if (c is '*' or '?' or '[' or '\\')
            {
                builder.Append(@"\\");
            }

            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => @"\\",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Parses <c>git diff -z --raw --numstat</c> output into file changes.</summary>
    /// <param name="output">The NUL-separated output.</param>
    /// <returns>The changes, in git's order.</returns>
    internal static IReadOnlyList<FileChange> ParseChanges(string output)
    {
        var tokens = output.Split('\0');
        var changes = new List<FileChange>();
        var binary = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Length == 0)
            {
                continue;
            }

            if (token[0] == ':')
            {
                var status = token.Split(' ')[4];
                switch (status[0])
                {
                    case 'R':
                        changes.Add(new FileChange(tokens[i + 2], FileChangeKind.Renamed, tokens[i + 1]));
                        i += 2;
                        break;
                    case 'C':
                        changes.Add(new FileChange(tokens[i + 2], FileChangeKind.Added));
                        i += 2;
                        break;
                    default:
                        changes.Add(new FileChange(tokens[i + 1], ToKind(status[0])));
                        i++;
                        break;
                }
            }
            else
            {
                // numstat: "added\tdeleted\tpath", or "added\tdeleted\t" followed by old and new path for renames.
                var parts = token.Split('\t');
                var changedPath = parts.Length > 2 && parts[2].Length > 0 ? parts[2] : tokens[i + 2];
                if (parts.Length > 2 && parts[2].Length == 0)
                {
                    i += 2;
                }

                if (parts[0] == "-")
                {
                    binary.Add(changedPath);
                }
            }
        }

        return [.. changes.Select(c => binary.Contains(c.Path) ? c with { IsBinary = true } : c)];
    }

    private static FileChangeKind ToKind(char status) => status switch
    {
        'A' => FileChangeKind.Added,
        'D' => FileChangeKind.Deleted,
        'T' => FileChangeKind.TypeChanged,
        _ => FileChangeKind.Modified,
    };
}

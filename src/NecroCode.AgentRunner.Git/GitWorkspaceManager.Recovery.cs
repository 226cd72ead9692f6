using System.Text;

namespace NecroCode.AgentRunner.Git;

public sealed partial class GitWorkspaceManager
{
    private static readonly (string Operation, string[] Markers)[] OperationMarkers =
    [
        ("rebase", ["rebase-merge", "rebase-apply"]),
        ("merge", ["MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "AUTO_MERGE"]),
        ("cherry-pick", ["CHERRY_PICK_HEAD"]),
        ("revert", ["REVERT_HEAD"]),
        ("cherry-pick/revert sequence", ["sequencer"]),
        ("bisect", ["BISECT_LOG", "BISECT_START", "BISECT_TERMS", "BISECT_EXPECTED_REV", "BISECT_ANCESTORS_OK", "BISECT_NAMES", "BISECT_RUN"]),
    ];

    /// <summary>
    /// Brings the slot into a state where checkout and clean cannot fail, publishing each action as a
    /// warning: stale locks, half-done operations and a corrupt index are removed; what the
    /// following checkout and clean will discard (changes, untracked files, a foreign HEAD) is reported.
    /// </summary>
    private async Task RecoverAsync(string path, string gitDirectory, IRunEventSink? events, CancellationToken cancellationToken)
    {
        Repair(path, gitDirectory, events);
        await SanitizeConfigurationAsync(path, gitDirectory, events, cancellationToken).ConfigureAwait(false);
        await ReportLeftoversAsync(path, gitDirectory, events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Brings the slot's own git configuration back to a plain clone's (<see cref="SlotConfiguration"/>).</summary>
    private async Task<SanitizedConfiguration> SanitizeConfigurationAsync(string path, string gitDirectory, IRunEventSink? events, CancellationToken cancellationToken)
    {
        var sanitized = await SlotConfiguration.SanitizeAsync(_git, path, gitDirectory, _runner.Remote, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (sanitized.Removed.Count > 0)
        {
            Warn(events, PrepareStep, $"Removed what an earlier run left in the slot's git configuration: {string.Join(", ", sanitized.Removed)}; pushes go to {_runner.Remote}'s url only.");
        }

        return sanitized;
    }

    /// <summary>Removes what would make git fail apart from a corrupt index: stale locks, half-done operations.</summary>
    private void Repair(string path, string gitDirectory, IRunEventSink? events)
    {
        RemoveStaleLocks(path, gitDirectory, events);
        AbandonOperations(gitDirectory, events);
    }

    /// <summary>
    /// Reports what the following checkout and clean discard (read-only apart from git's index refresh). The
    /// status scan reads and checksums the whole index, so it is also the corrupt-index check: when it fails
    /// on the index, the index is deleted, rebuilt from HEAD and the scan runs again. The index flags are then read
    /// from the index file in process; only an index that may carry one (or that is not understood) is listed with
    /// <c>git ls-files</c>, so a clean slot costs one scan and no other git process.
    /// </summary>
    private async Task ReportLeftoversAsync(string path, string gitDirectory, IRunEventSink? events, CancellationToken cancellationToken)
    {
        string[] arguments = ["status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all", "--ignored=no", "--no-renames"];
        var status = await _git.RunAsync(path, arguments, null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        var index = Path.Combine(gitDirectory, "index");
        if (!status.Succeeded && File.Exists(index) && status.StandardError.Contains("index", StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(index);
            Warn(events, PrepareStep, $"Removed the corrupt index ({GitErrors.Mask(status.StandardError.Trim())}); it is rebuilt from HEAD.");
            await _git.RunAsync(path, ["read-tree", "HEAD"], null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            status = await _git.RunAsync(path, arguments, null, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }

        if (!status.Succeeded)
        {
            Warn(events, PrepareStep, $"git status failed ({GitErrors.Mask(status.StandardError.Trim())}); the slot is reset regardless.");
            return;
        }

        ReportStatus(status.StandardOutput, events);
        if (!File.Exists(index) || !IndexFile.Read(index).MayHaveFlags)
        {
            return;
        }

        var flaggedFiles = await IndexFlags.ListAsync(_git, path, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (await IndexFlags.ClearAsync(_git, path, flaggedFiles, _options.CommandTimeout, cancellationToken).ConfigureAwait(false) is > 0 and var flagged)
        {
            Warn(events, PrepareStep, $"Cleared the skip-worktree or assume-unchanged flag of {flagged} file{(flagged == 1 ? "" : "s")} left in the index by an earlier run; git sees changes to them again.");
        }
    }

    private void RemoveStaleLocks(string path, string gitDirectory, IRunEventSink? events)
    {
        var locks = StaleLocks.Find(gitDirectory);
        if (locks.Count == 0)
        {
            return;
        }

        if (StaleLocks.FindLiveHolder(path, gitDirectory) is int pid)
        {
            throw new WorkspaceException(
                $"The slot '{path}' is in use: git process {pid} is running in it and may hold '{Path.GetRelativePath(gitDirectory, locks[0])}'.",
                isTransient: true);
        }

        foreach (var lockFile in locks)
        {
            File.Delete(lockFile);
            Warn(events, PrepareStep, $"Removed the stale lock file '.git/{Path.GetRelativePath(gitDirectory, lockFile).Replace('\\', '/')}' left by an ended git process.");
        }
    }

    private void AbandonOperations(string gitDirectory, IRunEventSink? events)
    {
        foreach (var (operation, markers) in OperationMarkers)
        {
            var found = false;
            foreach (var marker in markers)
            {
                var markerPath = Path.Combine(gitDirectory, marker);
                if (Directory.Exists(markerPath))
                {
                    Directory.Delete(markerPath, recursive: true);
                    found = true;
                }
                else if (File.Exists(markerPath))
                {
                    File.Delete(markerPath);
                    found = true;
                }
            }

            if (found)
            {
                Warn(events, PrepareStep, $"Abandoned a half-done {operation} left by an earlier run.");
            }
        }
    }

    private void ReportStatus(string porcelain, IRunEventSink? events)
    {
        int staged = 0, modified = 0, untracked = 0, conflicted = 0;
        string? head = null, oid = null;
        var entries = porcelain.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var entry in entries)
        {
            if (entry.StartsWith("# branch.head ", StringComparison.Ordinal))
            {
                head = entry["# branch.head ".Length..];
            }
            else if (entry.StartsWith("# branch.oid ", StringComparison.Ordinal))
            {
                oid = entry["# branch.oid ".Length..];
            }
            else if (entry.StartsWith("? ", StringComparison.Ordinal))
            {
                untracked++;
            }
            else if (entry.StartsWith("u ", StringComparison.Ordinal))
            {
                conflicted++;
            }
            else if (entry.Length > 4 && entry[0] is '1' or '2')
            {
                staged += entry[2] != '.' ? 1 : 0;
                modified += entry[3] != '.' ? 1 : 0;
            }
        }

        if (head == "(detached)")
        {
            Warn(events, PrepareStep, $"HEAD was detached at {Short(oid ?? "?")}; it is moved to the task branch.");
        }
        else if (head is not null && head != _runner.MainBranch)
        {
            Warn(events, PrepareStep, $"The branch '{head}' of an earlier run was checked out; it is left as it is and the task branch is checked out.");
        }

        var discarded = new StringBuilder();
        Append(discarded, staged, "staged");
        Append(discarded, modified, "modified");
        Append(discarded, conflicted, "conflicted");
        Append(discarded, untracked, "untracked");
        if (discarded.Length > 0)
        {
            Warn(events, PrepareStep, $"Discarded leftovers of an earlier run: {discarded}.");
        }

        static void Append(StringBuilder builder, int count, string what)
        {
            if (count > 0)
            {
                builder.Append(builder.Length > 0 ? ", " : "").Append(count).Append(' ').Append(what).Append(count == 1 ? " file" : " files");
            }
        }
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using NecroCode.AgentRunner.FileSystem;

using Steps = NecroCode.AgentRunner.Playbooks.PlaybookBuiltInSteps;

namespace NecroCode.AgentRunner.Orchestration;

public sealed partial class RunnerOrchestrator
{
    /// <summary>File name of the diff artifact.</summary>
    public const string DiffName = "diff.patch";

    /// <summary>File name of the run log artifact (JSON lines, one run event a line).</summary>
    public const string RunLogName = "run-log.jsonl";

    /// <summary>File name of the test results artifact (JSON).</summary>
    public const string TestResultsName = "test-results.json";

    /// <summary>File name of the error log artifact of a failed run.</summary>
    public const string ErrorLogName = "error.log";

    /// <summary>
    /// Stores one artifact and records it in the registry (R6.1–6.4). A failed upload is a warning:
    /// the content is kept on this machine and named in the result (R6.5).
    /// </summary>
    private async Task StoreArtifactAsync(RunContext context, ArtifactKind kind, string name, byte[] content, CancellationToken cancellationToken)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (context.Journal?.Artifacts.FirstOrDefault(a => a.Name == name && a.Sha256 == sha && a.Uri is not null) is { } stored)
        {
            context.Artifacts.Add(stored);
            return;
        }

        ArtifactRecord record;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            var uri = await _artifacts.StoreAsync(new ArtifactKey(context.Key, context.RunnerId, name), stream, cancellationToken).ConfigureAwait(false);
            record = new ArtifactRecord(kind, name, uri, content.LongLength, sha);
        }
#pragma warning disable CA1031 // R6.5: any upload failure is a warning; the artifact is kept locally.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var local = await KeepLocallyAsync(context, name, content).ConfigureAwait(false);
            record = new ArtifactRecord(kind, name, null, content.LongLength, sha, local, _masker.Apply(ex.Message));
            context.Events.Publish(new RunWarning(Steps.UploadArtifacts, $"Uploading {name} failed; kept at {local}: {ex.Message}"));
        }

        context.Artifacts.Add(record);
        context.Events.Publish(new ArtifactStored(record));
        await RecordArtifactAsync(context, record, cancellationToken).ConfigureAwait(false);
        FailPoint.Reach(FailPoint.AfterEffect(Steps.UploadArtifacts, name));
        if (record.Uri is not null && context.Journal is { } journal)
        {
            context.Journal = journal with { Artifacts = [.. journal.Artifacts.Where(a => a.Name != name), record] };
            await context.Journals.WriteAsync(context.Journal, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RecordArtifactAsync(RunContext context, ArtifactRecord record, CancellationToken cancellationToken)
    {
        if (!context.Claimed)
        {
            return;
        }

        try
        {
            await _registry.AddArtifactAsync(context.Key, record, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The artifact itself is safe; a registry hiccup is reported, not fatal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ArtifactNotRecorded(_logger, record.Name, context.Key.ToString(), ex);
        }
    }

    /// <summary>Uploads the run log once every event is in it; says whether it was stored (its spool folder may go).</summary>
    /// <remarks>The log is streamed from its file (hashed first), never read into memory: it holds every output line.</remarks>
    private async Task<bool> StoreRunLogAsync(RunContext context)
    {
        if (!context.Claimed)
        {
            // Never stored under a task this run did not hold; the spool folder goes.
            return true;
        }

        var path = Path.Combine(context.SpoolDirectory, RunLogName);
        using var cleanup = new CancellationTokenSource(CleanupTimeout, _time);
        long length;
        string sha;
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            length = file.Length;
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cleanup.Token).ConfigureAwait(false));
        }

        ArtifactRecord record;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            Uri uri;
            await using (stream.ConfigureAwait(false))
            {
                uri = await _artifacts.StoreAsync(new ArtifactKey(context.Key, context.RunnerId, RunLogName), stream, cleanup.Token).ConfigureAwait(false);
            }

            record = new ArtifactRecord(ArtifactKind.RunLog, RunLogName, uri, length, sha);
        }
#pragma warning disable CA1031 // R6.5: the run log stays in its spool folder and is named in the result.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            record = new ArtifactRecord(ArtifactKind.RunLog, RunLogName, null, length, sha, path, _masker.Apply(ex.Message));
            Log.RunLogKept(_logger, path, ex);
        }

        context.Artifacts.Add(record);
        await RecordArtifactAsync(context, record, cleanup.Token).ConfigureAwait(false);
        return record.Uri is not null;
    }

    /// <summary>Cuts a line a killed writer left half-written off the end of a run log, so every line parses.</summary>
    private static void DropPartialLastLine(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            var length = stream.Length;
            var keep = length;
            var buffer = new byte[1];
            while (keep > 0)
            {
                stream.Position = keep - 1;
                if (stream.Read(buffer, 0, 1) == 1 && buffer[0] == (byte)'\n')
                {
                    break;
                }

                keep--;
            }

            if (keep != length)
            {
                stream.SetLength(keep);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // The killed attempt left no log here (another machine, or it was stored and removed).
        }
    }

    private async Task<string> KeepLocallyAsync(RunContext context, string name, byte[] content)
    {
        var folder = Path.Combine(WorkDirectory, "kept", context.Key.SpecName, context.Key.TaskId, context.RunnerId);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(path, content).ConfigureAwait(false);
        return path;
    }

    private void PersistState(string runnerId, TaskContext task, StateTransition transition)
    {
        if (_options.StateFile is not { } file)
        {
            return;
        }

        var document = new RunnerStateDocument(runnerId, task.SpecName, task.TaskId, transition.To, transition.At, transition.Reason);
        try
        {
            AtomicFile.Write(Path.GetFullPath(file), JsonSerializer.SerializeToUtf8Bytes(document, OrchestrationJsonContext.Default.RunnerStateDocument));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.StateFileFailed(_logger, file, ex);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover spool folder is harmless; the next run uses its own.
        }
    }
}

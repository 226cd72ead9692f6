using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Stores a run's artifacts and records them in the registry. A failed upload is a warning: the content is kept on
/// this machine and named in the result. An artifact the journal of a resumed run already holds is not stored again.
/// </summary>
internal sealed partial class ArtifactRecorder(
    IArtifactStore artifacts, ITaskRegistry registry, ISecretMasker masker, IOptions<AgentRunnerOptions> options, TimeProvider time, ILogger<ArtifactRecorder> logger)
{
    /// <summary>Stores one artifact (already masked) and records it.</summary>
    /// <param name="context">The run.</param>
    /// <param name="kind">What it is.</param>
    /// <param name="name">Its file name.</param>
    /// <param name="content">Its content.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>A task that completes when the artifact is stored or kept.</returns>
    public async Task StoreAsync(RunContext context, ArtifactKind kind, string name, byte[] content, CancellationToken cancellationToken)
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
            var uri = await artifacts.StoreAsync(new ArtifactKey(context.Key, context.RunnerId, name), stream, cancellationToken).ConfigureAwait(false);
            record = new ArtifactRecord(kind, name, uri, content.LongLength, sha);
        }
#pragma warning disable CA1031 // Any upload failure is a warning; the artifact is kept locally.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var local = await KeepLocallyAsync(context, name, content).ConfigureAwait(false);
            record = new ArtifactRecord(kind, name, null, content.LongLength, sha, local, masker.Apply(ex.Message));
            context.Events.Publish(new RunWarning(PlaybookBuiltInSteps.UploadArtifacts, $"Uploading {name} failed; kept at {local}: {ex.Message}"));
        }

        context.Artifacts.Add(record);
        context.Events.Publish(new ArtifactStored(record));
        await RecordAsync(context, record, cancellationToken).ConfigureAwait(false);
        FailPoint.Reach(FailPoint.AfterEffect(PlaybookBuiltInSteps.UploadArtifacts, name));
        if (record.Uri is not null)
        {
            await context.SaveJournalAsync(j => j with { Artifacts = [.. j.Artifacts.Where(a => a.Name != name), record] }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Uploads the run log once every event is in it; says whether it was stored (its spool folder may go).</summary>
    /// <remarks>The log is streamed from its file (hashed first), never read into memory: it holds every output line.</remarks>
    /// <param name="context">The run.</param>
    /// <returns>Whether the run log is stored.</returns>
    public async Task<bool> StoreRunLogAsync(RunContext context)
    {
        if (!context.Claimed)
        {
            // Never stored under a task this run did not hold; the spool folder goes.
            return true;
        }

        var path = Path.Combine(context.SpoolDirectory, RunArtifactNames.RunLog);
        using var cleanup = new CancellationTokenSource(Steps.RunBudget.CleanupTimeout, time);
        long length;
        string sha;
        var file = OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            length = file.Length;
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cleanup.Token).ConfigureAwait(false));
        }

        ArtifactRecord record;
        try
        {
            var stream = OpenRead(path);
            Uri uri;
            await using (stream.ConfigureAwait(false))
            {
                uri = await artifacts.StoreAsync(new ArtifactKey(context.Key, context.RunnerId, RunArtifactNames.RunLog), stream, cleanup.Token).ConfigureAwait(false);
            }

            record = new ArtifactRecord(ArtifactKind.RunLog, RunArtifactNames.RunLog, uri, length, sha);
        }
#pragma warning disable CA1031 // The run log stays in its spool folder and is named in the result.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            record = new ArtifactRecord(ArtifactKind.RunLog, RunArtifactNames.RunLog, null, length, sha, path, masker.Apply(ex.Message));
            Log.RunLogKept(logger, path, ex);
        }

        context.Artifacts.Add(record);
        await RecordAsync(context, record, cleanup.Token).ConfigureAwait(false);
        return record.Uri is not null;
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private async Task RecordAsync(RunContext context, ArtifactRecord record, CancellationToken cancellationToken)
    {
        if (!context.Claimed)
        {
            return;
        }

        try
        {
            await registry.AddArtifactAsync(context.Key, record, context.RunnerId, cancellationToken).ConfigureAwait(false);
        }
        catch (ClaimLostException ex)
        {
            context.LoseClaim($"{ex.Message} This run stopped and wrote nothing more.");
        }
#pragma warning disable CA1031 // The artifact itself is safe; a registry hiccup is reported, not fatal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ArtifactNotRecorded(logger, record.Name, context.Key.ToString(), ex);
        }
    }

    private async Task<string> KeepLocallyAsync(RunContext context, string name, byte[] content)
    {
        var folder = RunDirectories.Kept(options.Value, context);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await File.WriteAllBytesAsync(path, content).ConfigureAwait(false);
        return path;
    }

    private static partial class Log
    {
        [LoggerMessage(1004, LogLevel.Warning, "Artifact {Name} of task {Task} could not be recorded in the registry")]
        public static partial void ArtifactNotRecorded(ILogger logger, string name, string task, Exception exception);

        [LoggerMessage(1005, LogLevel.Warning, "The run log could not be uploaded; it is kept at {Path}")]
        public static partial void RunLogKept(ILogger logger, string path, Exception exception);
    }
}

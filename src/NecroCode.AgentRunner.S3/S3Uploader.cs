using Amazon.S3;
using Amazon.S3.Model;
using Polly;

namespace NecroCode.AgentRunner.S3;

/// <summary>
/// Puts one object: below <see cref="S3ArtifactStoreOptions.MultipartThresholdBytes"/> in a single request, else as a
/// multipart upload. Every request body is a <see cref="ContentWindow"/> over the content, so nothing is copied into
/// memory: the parts of a file are read by position, <see cref="S3ArtifactStoreOptions.MaxConcurrentParts"/> of them
/// in flight at once; the parts of another seekable stream go one at a time. Each request is retried on its own (it
/// reads its window anew); a multipart upload that fails or is cancelled is aborted, so no half-written object
/// appears. The SHA-256 and the content type go into the object's metadata.
/// </summary>
internal sealed class S3Uploader(IAmazonS3 client, string bucket, S3ArtifactStoreOptions options, ResiliencePipeline retry, Action<string, Exception> abortFailed)
{
    /// <summary>The user-metadata entry holding the lower-case hex SHA-256 of the content (header <c>x-amz-meta-sha256</c>).</summary>
    public const string Sha256Metadata = "sha256";

    /// <summary>S3 takes at most this many parts in one upload.</summary>
    private const int MaxParts = 10_000;

    /// <summary>Uploads the object.</summary>
    /// <returns>How many requests carried the content: 1, or the number of parts.</returns>
    public Task<int> UploadAsync(string key, ArtifactContent content, string contentType, CancellationToken cancellationToken) =>
        content.Length < options.MultipartThresholdBytes
            ? PutAsync(key, content, contentType, cancellationToken)
            : MultipartAsync(key, content, contentType, cancellationToken);

    private async Task<int> PutAsync(string key, ArtifactContent content, string contentType, CancellationToken cancellationToken)
    {
        await retry.ExecuteAsync(
            async token =>
            {
                var request = new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    InputStream = content.Window(0, content.Length),
                    AutoCloseStream = false,
                    ContentType = contentType,

                    // aws-chunked bodies are stored verbatim by some S3-compatible servers; a seekable body needs none.
                    UseChunkEncoding = false,
                };
                request.Metadata.Add(Sha256Metadata, content.Sha256);
                await client.PutObjectAsync(request, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        return 1;
    }

    private async Task<int> MultipartAsync(string key, ArtifactContent content, string contentType, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = contentType };
        initiate.Metadata.Add(Sha256Metadata, content.Sha256);
        var upload = await retry.ExecuteAsync(
            async token => await client.InitiateMultipartUploadAsync(initiate, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = await UploadPartsAsync(key, upload.UploadId, content, cancellationToken).ConfigureAwait(false);
            await retry.ExecuteAsync(
                async token => await client.CompleteMultipartUploadAsync(
                    new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = parts },
                    token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return parts.Count;
        }
        catch
        {
            await AbortAsync(key, upload.UploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<List<PartETag>> UploadPartsAsync(string key, string uploadId, ArtifactContent content, CancellationToken cancellationToken)
    {
        var partSize = PartSize(content.Length);
        var count = (int)((content.Length + partSize - 1) / partSize);
        var inFlight = content.ReadsByPosition ? options.MaxConcurrentParts : 1;
        var running = new List<Task<PartETag>>(inFlight);
        var parts = new List<PartETag>(count);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            for (var number = 1; number <= count; number++)
            {
                if (running.Count == inFlight)
                {
                    var done = await Task.WhenAny(running).ConfigureAwait(false);
                    running.Remove(done);
                    parts.Add(await done.ConfigureAwait(false));
                }

                var offset = (number - 1L) * partSize;
                running.Add(UploadPartAsync(key, uploadId, number, content, offset, Math.Min(partSize, content.Length - offset), stop.Token));
            }

            foreach (var task in running)
            {
                parts.Add(await task.ConfigureAwait(false));
            }
        }
        catch
        {
            // The first failure stops the other parts; they must end before the content goes and the upload is aborted.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(running).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        parts.Sort((a, b) => a.PartNumber.GetValueOrDefault().CompareTo(b.PartNumber.GetValueOrDefault()));
        return parts;
    }

    private async Task<PartETag> UploadPartAsync(string key, string uploadId, int number, ArtifactContent content, long offset, long length, CancellationToken cancellationToken)
    {
        var response = await retry.ExecuteAsync(
            async token => await client.UploadPartAsync(
                new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = number,
                    InputStream = content.Window(offset, length),
                    PartSize = length,
                    UseChunkEncoding = false,
                },
                token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return new PartETag(number, response.ETag);
    }

    /// <summary>The part size for <paramref name="length"/> bytes: the configured one, or larger (whole MiB) when it would take more than 10,000 parts.</summary>
    private int PartSize(long length)
    {
        const long MiB = 1024 * 1024;
        var least = (length + MaxParts - 1) / MaxParts;
        return least <= options.PartSizeBytes ? options.PartSizeBytes : (int)Math.Min(int.MaxValue, (least + MiB - 1) / MiB * MiB);
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.RequestTimeout);
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The upload's own failure is what the caller hears; a failed abort is logged (the bucket's lifecycle rule clears it).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            abortFailed(uploadId, ex);
        }
    }
}

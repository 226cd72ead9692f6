using System.Collections.Concurrent;

namespace NecroCode.AgentRunner.Testing;

/// <summary>An in-memory <see cref="IArtifactStore"/> with <c>memory://</c> URIs; can be told to fail.</summary>
public sealed class FakeArtifactStore : IArtifactStore
{
    private readonly ConcurrentDictionary<Uri, byte[]> _content = new();

    /// <summary>When set, every store throws an <see cref="ArtifactStoreException"/> with this message.</summary>
    public string? FailWith { get; set; }

    /// <summary>The stored artifacts by URI.</summary>
    public IReadOnlyDictionary<Uri, byte[]> Content => _content;

    /// <inheritdoc />
    public async Task<Uri> StoreAsync(ArtifactKey key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(content);
        if (FailWith is { } message)
        {
            throw new ArtifactStoreException(message);
        }

        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var uri = new Uri($"memory://artifacts/{Uri.EscapeDataString(key.Task.SpecName)}/{Uri.EscapeDataString(key.Task.TaskId)}/{Uri.EscapeDataString(key.RunnerId)}/{Uri.EscapeDataString(key.Name)}");
        _content[uri] = buffer.ToArray();
        return uri;
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(Uri uri, CancellationToken cancellationToken) =>
        _content.TryGetValue(uri, out var bytes)
            ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))
            : throw new ArtifactStoreException($"No artifact at '{uri}'.");
}

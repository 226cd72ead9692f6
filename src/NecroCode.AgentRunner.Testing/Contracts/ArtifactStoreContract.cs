using System.Security.Cryptography;
using System.Text;

namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>
/// The behaviour every <see cref="IArtifactStore"/> must have: what is stored reads back byte for byte through the URI
/// it was given, from any instance over the same storage; storing a key again replaces it; keys are kept apart; large
/// and unseekable content is stored whole; a URI the store does not hold fails with <see cref="ArtifactStoreException"/>.
/// Each case uses keys of its own, so the cases may share one backing storage.
/// </summary>
/// <remarks>
/// With NUnit:
/// <code>
/// [TestCaseSource(typeof(ArtifactStoreContract), nameof(ArtifactStoreContract.Cases))]
/// public Task Store_keeps_the_contract(ContractCase&lt;IArtifactStoreContractSubject&gt; contractCase) =&gt;
///     contractCase.RunAsync(new MyStoreSubject(), CancellationToken.None);
/// </code>
/// </remarks>
public static class ArtifactStoreContract
{
    /// <summary>The size of the large artifact case: 20 MiB, above common multipart thresholds.</summary>
    public const int LargeArtifactBytes = 20 * 1024 * 1024;

    /// <summary>Every case of the contract.</summary>
    public static IEnumerable<ContractCase<IArtifactStoreContractSubject>> Cases { get; } =
    [
        new("Stored content reads back byte for byte", StoredContentReadsBackAsync),
        new("An empty artifact is stored and reads back empty", EmptyArtifactAsync),
        new("Only the content after the stream's position is stored", StoresFromPositionAsync),
        new("Content from a stream that cannot seek is stored whole", UnseekableStreamAsync),
        new("A large artifact from a stream that cannot seek reads back intact", LargeArtifactAsync),
        new("Storing the same key again replaces the content under the same URI", ReplaceAsync),
        new("Artifacts of different specs, tasks, runners and names are kept apart", KeptApartAsync),
        new("Another instance over the same storage reads what one stored", SharedAsync),
        new("Names with spaces and non-ASCII letters survive the URI", UnusualNamesAsync),
        new("A URI next to a stored one that was never stored fails to open with ArtifactStoreException", MissingArtifactAsync),
        new("A URI of an unknown scheme fails to open with ArtifactStoreException", ForeignUriAsync),
        new("A store cancelled before it starts throws OperationCanceledException", CancelledAsync),
    ];

    private static async Task StoredContentReadsBackAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        var content = Encoding.UTF8.GetBytes("diff --git a/x b/x\n+hello\n");
        var uri = await StoreAsync(store, NewKey("diff.patch"), content, cancellationToken).ConfigureAwait(false);
        Expect.That(uri.IsAbsoluteUri, $"the URI '{uri}' is absolute");
        await ExpectContentAsync(store, uri, content, "the stored artifact", cancellationToken).ConfigureAwait(false);
    }

    private static async Task EmptyArtifactAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        var uri = await StoreAsync(store, NewKey("empty.txt"), [], cancellationToken).ConfigureAwait(false);
        await ExpectContentAsync(store, uri, [], "the empty artifact", cancellationToken).ConfigureAwait(false);
    }

    private static async Task StoresFromPositionAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("SKIPPED|kept"));
        stream.Position = "SKIPPED|".Length;
        var uri = await store.StoreAsync(NewKey("tail.txt"), stream, cancellationToken).ConfigureAwait(false);
        await ExpectContentAsync(store, uri, Encoding.UTF8.GetBytes("kept"), "the artifact stored from position 8", cancellationToken).ConfigureAwait(false);
    }

    private static async Task UnseekableStreamAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        var content = Pattern(100_000, seed: 7);
        using var stream = new ForwardOnlyStream(content);
        var uri = await store.StoreAsync(NewKey("run.jsonl"), stream, cancellationToken).ConfigureAwait(false);
        await ExpectContentAsync(store, uri, content, "the artifact from an unseekable stream", cancellationToken).ConfigureAwait(false);
    }

    private static async Task LargeArtifactAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        var content = Pattern(LargeArtifactBytes, seed: 11);
        using var stream = new ForwardOnlyStream(content);
        var uri = await store.StoreAsync(NewKey("large.bin"), stream, cancellationToken).ConfigureAwait(false);
        await ExpectContentAsync(store, uri, content, "the 20 MiB artifact", cancellationToken).ConfigureAwait(false);
    }

    private static async Task ReplaceAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        var key = NewKey("test-results.json");
        var first = await StoreAsync(store, key, Encoding.UTF8.GetBytes("{\"passed\":1,\"failed\":1}"), cancellationToken).ConfigureAwait(false);
        var replacement = Encoding.UTF8.GetBytes("{\"passed\":2}");
        var second = await StoreAsync(store, key, replacement, cancellationToken).ConfigureAwait(false);
        Expect.Equal(first, second, "the URI of a key stored twice");
        await ExpectContentAsync(store, second, replacement, "the artifact stored twice", cancellationToken).ConfigureAwait(false);
    }

    private static async Task KeptApartAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        var key = NewKey("diff.patch");
        ArtifactKey[] keys =
        [
            key,
            key with { Task = key.Task with { SpecName = key.Task.SpecName + "-other" } },
            key with { Task = key.Task with { TaskId = key.Task.TaskId + "-other" } },
            key with { RunnerId = key.RunnerId + "-other" },
            key with { Name = "diff-other.patch" },
        ];
        var uris = new List<Uri>();
        foreach (var k in keys)
        {
            uris.Add(await StoreAsync(store, k, Encoding.UTF8.GetBytes(Describe(k)), cancellationToken).ConfigureAwait(false));
        }

        Expect.Equal(keys.Length, uris.Distinct().Count(), "distinct URIs for five different keys");
        for (var i = 0; i < keys.Length; i++)
        {
            await ExpectContentAsync(store, uris[i], Encoding.UTF8.GetBytes(Describe(keys[i])), $"the artifact of {Describe(keys[i])}", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task SharedAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var content = Encoding.UTF8.GetBytes("written by one runner, read by another");
        var uri = await StoreAsync(subject.Open(), NewKey("shared.txt"), content, cancellationToken).ConfigureAwait(false);
        await ExpectContentAsync(subject.Open(), uri, content, "the artifact read through another instance", cancellationToken).ConfigureAwait(false);
    }

    private static async Task UnusualNamesAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        var key = NewKey("test results für Ünïcode.json");
        key = key with { Task = key.Task with { TaskId = key.Task.TaskId + " 2" } };
        var content = Encoding.UTF8.GetBytes("[]");
        var uri = await StoreAsync(store, key, content, cancellationToken).ConfigureAwait(false);
        await ExpectContentAsync(store, uri, content, $"the artifact '{key.Name}'", cancellationToken).ConfigureAwait(false);
    }

    private static async Task MissingArtifactAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        var stored = await StoreAsync(store, NewKey("present.txt"), [1, 2, 3], cancellationToken).ConfigureAwait(false);
        var missing = new Uri(stored, "never-stored-" + Guid.NewGuid().ToString("N") + ".txt");
        await Expect.ThrowsAsync<ArtifactStoreException>(() => OpenAndDisposeAsync(store, missing, cancellationToken), $"opening '{missing}'").ConfigureAwait(false);
    }

    private static async Task ForeignUriAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var foreign = new Uri("unknown-scheme://nowhere/spec/task/runner/diff.patch");
        await Expect.ThrowsAsync<ArtifactStoreException>(() => OpenAndDisposeAsync(subject.Open(), foreign, cancellationToken), $"opening '{foreign}'").ConfigureAwait(false);
    }

    private static async Task CancelledAsync(IArtifactStoreContractSubject subject, CancellationToken cancellationToken)
    {
        var store = subject.Open();
        using var cancelled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await cancelled.CancelAsync().ConfigureAwait(false);
        using var stream = new MemoryStream(Pattern(1024, seed: 3));
        await Expect.ThrowsAsync<OperationCanceledException>(() => store.StoreAsync(NewKey("cancelled.txt"), stream, cancelled.Token), "storing with a cancelled token").ConfigureAwait(false);
    }

    private static ArtifactKey NewKey(string name)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return new ArtifactKey(new TaskKey("contract-spec", "task-" + id), "runner-" + id, name);
    }

    private static string Describe(ArtifactKey key) => $"{key.Task}/{key.RunnerId}/{key.Name}";

    private static async Task<Uri> StoreAsync(IArtifactStore store, ArtifactKey key, byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        return await store.StoreAsync(key, stream, cancellationToken).ConfigureAwait(false);
    }

    private static async Task OpenAndDisposeAsync(IArtifactStore store, Uri uri, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(uri, cancellationToken).ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task ExpectContentAsync(IArtifactStore store, Uri uri, byte[] expected, string what, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(uri, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            var actual = copy.ToArray();
            Expect.That(
                actual.AsSpan().SequenceEqual(expected),
                $"{what} at '{uri}' reads back as stored: expected {expected.Length} bytes (SHA-256 {Sha(expected)}), got {actual.Length} bytes (SHA-256 {Sha(actual)})");
        }
    }

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content))[..16];

    /// <summary>Deterministic bytes that do not repeat in short cycles (a misplaced part shows).</summary>
    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A stream that can only be read forward, as a pipe or a network body.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content, writable: false);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 8192));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _inner.ReadAsync(buffer[..Math.Min(buffer.Length, 8192)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _inner.ReadAsync(buffer, offset, Math.Min(count, 8192), cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

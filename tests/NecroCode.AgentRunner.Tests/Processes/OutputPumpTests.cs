using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Processes;

[TestFixture]
public sealed class OutputPumpTests
{
    private const string Secret = "hunter2-pump-secret";

    [TestCase(1, false)]
    [TestCase(7, false)]
    [TestCase(64, false)]
    [TestCase(1 << 16, false)]
    [TestCase(1, true)]
    [TestCase(7, true)]
    [TestCase(64, true)]
    [TestCase(1 << 16, true)]
    public async Task StartAsync_SecretsAcrossReadBoundaries_EveryLineMaskedLikeApply(int readSize, bool throughChannel)
    {
        // Arrange: clean lines around lines with a secret, a CRLF line and a line longer than the maximum.
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        var lines = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            lines.Add(i % 37 == 5 ? $"line {i} has {Secret} inside" : new string((char)('a' + (i % 26)), i % 90));
        }

        lines.Add($"{Secret} at the start and at the end {Secret}\r");
        lines.Add(new string('z', 150) + Secret + new string('y', 150));
        var text = string.Join('\n', lines) + "\nlast line without a break " + Secret;
        // A plain sink gets a line at a time; the run's channel a block per read.
        var sink = new RecordingEventSink();
        await using var channel = new RunEventChannel("runner-1", "1.1", masker, TimeProvider.System, [new SinkObserver(sink)], NullLogger.Instance, null);
        var pump = new OutputPump(new ChunkedStream(Encoding.UTF8.GetBytes(text), readSize), OutputSource.StandardOutput, "step", throughChannel ? channel : sink, masker, 200, 1 << 20, _ => { });

        // Act
        await pump.StartAsync();
        await channel.CompleteAsync();

        // Assert: the same lines as splitting first and masking each line on its own.
        var expected = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var rest = line;
            while (rest.Length > 200)
            {
                expected.Add(masker.Apply(rest[..200]));
                rest = rest[200..];
            }

            expected.Add(masker.Apply(rest.EndsWith('\r') ? rest[..^1] : rest));
        }

        Assert.That(sink.LinesOf(OutputSource.StandardOutput), Is.EqualTo(expected));
        Assert.That(sink.LinesOf(OutputSource.StandardOutput).Any(l => l.Contains(Secret, StringComparison.Ordinal)), Is.False);
        Assert.That(pump.Tail, Does.Not.Contain(Secret));
        Assert.That(pump.Tail, Is.EqualTo(string.Join('\n', expected)));
        Assert.That(pump.Lines, Is.EqualTo(expected.Count));
    }

    [Test]
    public async Task StartAsync_SecretAddedWhileStreaming_LaterLinesMasked()
    {
        // Arrange: the secret becomes known after the first line was published.
        var masker = new SecretMasker();
        var sink = new RecordingEventSink(_ => masker.AddSecret(Secret));
        var text = $"first {Secret}\nsecond {Secret}\n";
        var pump = new OutputPump(new ChunkedStream(Encoding.UTF8.GetBytes(text), 3), OutputSource.StandardError, "step", sink, masker, 1000, 1000, _ => { });

        // Act
        await pump.StartAsync();

        // Assert
        Assert.That(sink.LinesOf(OutputSource.StandardError)[1], Is.EqualTo("second " + masker.Mask));
    }

    [TestCase(1, 300)]
    [TestCase(1, 3)]
    [TestCase(1 << 16, 300)]
    [TestCase(1 << 16, 3)]
    public async Task StartAsync_SecretAtEveryOffsetAroundTheCut_NeverSplitAcrossEvents(int readSize, int after)
    {
        // Arrange: lines longer than the maximum (100) with the secret starting at every offset from well before to after the cut.
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        const int max = 100;
        var offsets = Enumerable.Range(max - Secret.Length - 5, Secret.Length + 10).ToList();

        foreach (var offset in offsets)
        {
            var line = new string('a', offset) + Secret + new string('b', after);
            var sink = new RecordingEventSink();
            var pump = new OutputPump(new ChunkedStream(Encoding.UTF8.GetBytes(line + "\nnext\n"), readSize), OutputSource.StandardOutput, "step", sink, masker, max, 1 << 20, _ => { });

            // Act
            await pump.StartAsync();

            // Assert: no piece longer than the maximum, and the secret is in no piece nor in two neighbours joined.
            var pieces = sink.LinesOf(OutputSource.StandardOutput);
            Assert.Multiple(() =>
            {
                Assert.That(pieces.Max(p => p.Length), Is.LessThanOrEqualTo(max), $"offset {offset}");
                Assert.That(string.Concat(pieces), Does.Not.Contain(Secret[..^1]).And.Not.Contain(Secret[1..]), $"offset {offset}");
                Assert.That(string.Concat(pieces).Replace(masker.Mask, "", StringComparison.Ordinal), Is.EqualTo(new string('a', offset) + new string('b', after) + "next"), $"offset {offset}");
            });
        }
    }

    [Test]
    public async Task StartAsync_TokenShapeAcrossTheCut_MaskedWhole()
    {
        // Arrange: a GitHub token shape (no registered secret) that starts just before the cut.
        var masker = new SecretMasker();
        var token = "ghp_" + new string('Q', 36);
        var line = new string('a', 90) + " " + token + " " + new string('b', 200);
        var sink = new RecordingEventSink();
        var pump = new OutputPump(new ChunkedStream(Encoding.UTF8.GetBytes(line + "\n"), 1 << 16), OutputSource.StandardOutput, "step", sink, masker, 100, 1 << 20, _ => { });

        // Act
        await pump.StartAsync();

        // Assert
        var joined = string.Concat(sink.LinesOf(OutputSource.StandardOutput));
        Assert.That(joined, Does.Not.Contain("ghp_").And.Not.Contain(new string('Q', 10)));
    }

    [Test]
    public async Task StartAsync_ConsumersMaskerThroughTheContract_SecretAcrossTheCutKeptWhole()
    {
        // Arrange: a masker of the consumer's own that answers the cut through ISecretMasker only.
        var inner = new SecretMasker();
        inner.AddSecret(Secret);
        ISecretMasker masker = new DelegatingMasker(inner);
        const int max = 100;
        var line = new string('a', max - 5) + Secret + new string('b', 300);
        var sink = new RecordingEventSink();
        var pump = new OutputPump(new ChunkedStream(Encoding.UTF8.GetBytes(line + "\n"), 1 << 16), OutputSource.StandardOutput, "step", sink, masker, max, 1 << 20, _ => { });

        // Act
        await pump.StartAsync();

        // Assert
        var joined = string.Concat(sink.LinesOf(OutputSource.StandardOutput));
        Assert.That(joined, Does.Not.Contain(Secret[..^1]).And.Not.Contain(Secret[1..]));
    }

    /// <summary>A consumer's masker: forwards every member of the contract and is not the built-in type.</summary>
    /// <summary>Hands the channel's events to a recording sink.</summary>
    private sealed class SinkObserver(IRunEventSink sink) : IRunEventObserver
    {
        public void OnEvent(RunEvent runEvent) => sink.Publish(runEvent);
    }

    private sealed class DelegatingMasker(ISecretMasker inner) : ISecretMasker
    {
        public string Mask => inner.Mask;

        public int CutLookahead => inner.CutLookahead;

        public void AddSecret(string value) => inner.AddSecret(value);

        public int FindCut(ReadOnlySpan<char> text, int limit, bool textEnds) => inner.FindCut(text, limit, textEnds);

        public string Apply(string text) => inner.Apply(text);
    }

    /// <summary>A stream that returns at most a fixed number of bytes per read, like a pipe under load.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
    }
}

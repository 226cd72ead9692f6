using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.TestUtilities;

namespace NecroCode.AgentRunner.Tests.Events;

[TestFixture]
public sealed class RunLogWriterTests
{
    [Test]
    public async Task Write_OutputLines_ReachTheFileOnFlushOrWithTheNextEvent()
    {
        // Arrange
        using var folder = new TempFolder("runlog-");
        var path = folder.Combine("run-log.jsonl");
        await using var writer = new RunLogWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, RunLogWriter.BufferSize));

        // Act
        writer.Write(new OutputLine("test", OutputSource.StandardOutput, "one"));
        var afterLine = ReadShared(path);
        writer.Write(new StepFinished("test", StepOutcome.Succeeded, TimeSpan.FromSeconds(1)));
        var afterEvent = ReadShared(path);
        writer.Write(new OutputLine("test", OutputSource.StandardError, "two"));
        writer.Flush();
        var afterFlush = ReadShared(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(afterLine, Is.Empty, "an output line waits for its batch");
            Assert.That(afterEvent.Split('\n'), Has.Length.EqualTo(3).And.Some.Contains("step.finished"), "another event goes out at once, with the lines before it");
            Assert.That(afterFlush, Does.EndWith("{\"e\":\"test\",\"t\":\"two\"}\n"));
        });
    }

    [Test]
    public async Task PublishMaskedAsync_SameMasker_NotMaskedAgain_OtherMasker_Masked()
    {
        // Arrange
        var masker = new CountingMasker();
        var other = new CountingMasker();
        using var log = new MemoryStream();
        await using var runLog = new RunLogWriter(log);
        var channel = new RunEventChannel("runner-1", "1.1", masker, TimeProvider.System, [], NullLogger.Instance, runLog);

        // Act
        await channel.PublishMaskedAsync(new OutputLine("test", OutputSource.StandardOutput, "masked once"), masker);
        var sameMasker = masker.Calls;
        await channel.PublishMaskedAsync(new OutputLine("test", OutputSource.StandardOutput, "masked elsewhere"), other);
        await channel.CompleteAsync();

        // Assert
        var lines = RunLogReader.ReadAll(Encoding.UTF8.GetString(log.ToArray()).Split('\n')).OfType<OutputLine>().Select(l => l.Text);
        Assert.Multiple(() =>
        {
            Assert.That(sameMasker, Is.Zero);
            Assert.That(masker.Calls, Is.EqualTo(1));
            Assert.That(lines, Is.EqualTo(new[] { "masked once", "masked elsewhere" }));
        });
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class CountingMasker : ISecretMasker
    {
        public int Calls { get; private set; }

        public string Mask => "***";

        public void AddSecret(string value)
        {
        }

        public string Apply(string text)
        {
            Calls++;
            return text;
        }
    }
}

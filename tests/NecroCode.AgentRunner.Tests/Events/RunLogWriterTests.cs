using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.TestUtilities;

namespace NecroCode.AgentRunner.Tests.Events;

[TestFixture]
public sealed class RunLogWriterTests
{
    [TestCase("test", OutputSource.StandardOutput)]
    [TestCase("step \"quoted\" \\ ü", OutputSource.StandardError)]
    public void Write_Block_SameBytesAsOneOutputLineEach(string step, OutputSource source)
    {
        // Arrange: every ASCII character on a line of its own and inside text, and lines that need escaping.
        var lines = new List<string>();
        for (var c = 0; c < 128; c++)
        {
            if (c != '\n')
            {
                lines.Add(((char)c).ToString());
                lines.Add($"before {(char)c} after");
            }
        }

        lines.AddRange(["", "plain build output: compiled 12 files in 0.4 s", "tab\there", "ünïcödé ✓ 🚀", "\u2028 line separator", "lone surrogate \ud800 end", new string('x', 40_000)]);
        var builder = new OutputBlockBuilder();
        foreach (var line in lines)
        {
            builder.Add(line);
        }

        using var perLine = new MemoryStream();
        using var perBlock = new MemoryStream();
        using (var lineWriter = new RunLogWriter(perLine))
        using (var blockWriter = new RunLogWriter(perBlock))
        {
            // Act
            foreach (var line in lines)
            {
                lineWriter.Write(new OutputLine(step, source, line));
            }

            blockWriter.Write(builder.Build(step, source));
            lineWriter.Flush();
            blockWriter.Flush();

            // Assert
            Assert.That(perBlock.ToArray(), Is.EqualTo(perLine.ToArray()));
        }
    }

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

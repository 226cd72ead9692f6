using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NecroCode.AgentRunner;

namespace NecroCode.AgentRunner.Abstractions.Tests;

[TestFixture]
public sealed class RunLogFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero);

    [Test]
    public void Write_OutputLines_CompactObjectsWithStepAndText()
    {
        var lines = Lines(
            new OutputLine("test", OutputSource.StandardOutput, "all \"tests\" passed"),
            new OutputLine("implement", OutputSource.StandardError, "naïve <warning>"));

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("{\"o\":\"test\",\"t\":\"all \\\"tests\\\" passed\"}"));
            Assert.That(lines[1], Is.EqualTo("{\"e\":\"implement\",\"t\":\"naïve <warning>\"}"));
            Assert.That(lines.Select(l => JsonNode.Parse(l)!["t"]!.GetValue<string>()), Is.EqualTo(new[] { "all \"tests\" passed", "naïve <warning>" }), "plain JSON a tool can read");
        });
    }

    [Test]
    public void Write_OtherEvent_TheWholeEventLikeSerializeLine()
    {
        var started = new StepStarted("test") { Sequence = 4, Timestamp = At, RunnerId = "runner-1", TaskId = "1.1" };

        Assert.That(Lines(started).Single(), Is.EqualTo(AgentRunnerJson.SerializeLine(started)));
    }

    [Test]
    public void Read_CompactLinesAfterAnEvent_GetTheNextSequencesAndTheEventsEnvelope()
    {
        var started = new StepStarted("test") { Sequence = 4, Timestamp = At, RunnerId = "runner-1", TaskId = "1.1" };
        var finished = new StepFinished("test", StepOutcome.Succeeded, TimeSpan.FromSeconds(2)) { Sequence = 7, Timestamp = At.AddSeconds(2), RunnerId = "runner-1", TaskId = "1.1" };
        var written = new RunEvent[]
        {
            started,
            new OutputLine("test", OutputSource.StandardOutput, "one") { Sequence = 5, Timestamp = At, RunnerId = "runner-1", TaskId = "1.1" },
            new OutputLine("test", OutputSource.StandardError, "two") { Sequence = 6, Timestamp = At, RunnerId = "runner-1", TaskId = "1.1" },
            finished,
        };

        var read = RunLogReader.ReadAll(Lines(written)).ToList();

        Assert.That(read, Is.EqualTo(written));
    }

    [Test]
    public void Read_LogOfAnEarlierVersion_EveryLineWhole()
    {
        var line = new OutputLine("test", OutputSource.StandardOutput, "old") { Sequence = 9, Timestamp = At, RunnerId = "runner-1", TaskId = "1.1" };

        var read = new RunLogReader().Read(AgentRunnerJson.SerializeLine(line));

        Assert.That(read, Is.EqualTo(line));
    }

    [Test]
    public void DeserializeEvent_CompactLine_OutputLineWithoutEnvelope()
    {
        var read = AgentRunnerJson.DeserializeEvent("{\"e\":\"agent\",\"t\":\"oops\"}");

        Assert.That(read, Is.EqualTo(new OutputLine("agent", OutputSource.StandardError, "oops")));
    }

    [TestCase("{\"o\":1,\"t\":\"x\"}")]
    [TestCase("{\"o\":\"test\"}")]
    [TestCase("{\"o\":\"test\",\"t\":null}")]
    public void Read_BrokenCompactLine_JsonException(string line)
    {
        Assert.That(() => new RunLogReader().Read(line), Throws.InstanceOf<JsonException>());
    }

    private static List<string> Lines(params RunEvent[] events)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var lines = new List<string>();
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var runEvent in events)
        {
            RunLogFormat.Write(writer, runEvent);
            writer.Flush();
            lines.Add(Encoding.UTF8.GetString(buffer.WrittenSpan));
            writer.Reset();
            buffer.ResetWrittenCount();
        }

        return lines;
    }
}

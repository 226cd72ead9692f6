using System.Buffers.Binary;
using System.Text;
using Docker.DotNet;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Docker.Tests;

[TestFixture]
public sealed class ContainerOutputReaderTests
{
    [Test]
    public async Task PumpAsync_EventsSplitAcrossFrames_ForwardsEachEventAndKeepsTheResult()
    {
        var started = AgentRunnerJson.SerializeLine(new StepStarted("agent") { RunnerId = "runner-1" });
        var result = "{\"type\":\"run.result\",\"result\":{\"taskId\":\"1\",\"specName\":\"calc\",\"runnerId\":\"runner-1\",\"outcome\":\"Succeeded\",\"state\":\"Completed\",\"startedAt\":\"2026-01-01T00:00:00+00:00\",\"finishedAt\":\"2026-01-01T00:00:01+00:00\"}}";
        var text = started + "\n" + result + "\n";
        var sink = new RecordingEventSink();
        var reader = new ContainerOutputReader(sink, _ => { });

        await reader.PumpAsync(Multiplexed((1, text[..10]), (2, "warn: slow\n"), (1, text[10..])), CancellationToken.None);

        Assert.That(sink.Events, Has.Count.EqualTo(2));
        Assert.That(sink.Events.OfType<StepStarted>().Single().Step, Is.EqualTo("agent"));
        Assert.That(sink.Events.OfType<OutputLine>().Single().Text, Is.EqualTo("warn: slow"));
        Assert.That(reader.Result!.Outcome, Is.EqualTo(RunOutcome.Succeeded));
        Assert.That(reader.RunnerId, Is.EqualTo("runner-1"));
    }

    [Test]
    public async Task PumpAsync_PlainLineWithoutNewline_BecomesAnOutputLine()
    {
        var sink = new RecordingEventSink();
        var reader = new ContainerOutputReader(sink, _ => { });

        await reader.PumpAsync(Multiplexed((1, "not json")), CancellationToken.None);

        var line = sink.Events.OfType<OutputLine>().Single();
        Assert.That(line.Text, Is.EqualTo("not json"));
        Assert.That(line.Stream, Is.EqualTo(OutputSource.StandardOutput));
        Assert.That(reader.Result, Is.Null);
    }

    [Test]
    public async Task PumpAsync_TwoResultLines_CountsBoth()
    {
        var result = "{\"type\":\"run.result\",\"result\":{\"taskId\":\"1\",\"specName\":\"calc\",\"runnerId\":\"r\",\"outcome\":\"Succeeded\",\"state\":\"Completed\",\"startedAt\":\"2026-01-01T00:00:00+00:00\",\"finishedAt\":\"2026-01-01T00:00:01+00:00\"}}";
        var reader = new ContainerOutputReader(new RecordingEventSink(), _ => { });

        await reader.PumpAsync(Multiplexed((1, result + "\n" + result + "\n")), CancellationToken.None);

        Assert.That(reader.ResultLines, Is.EqualTo(2));
    }

    [Test]
    public async Task PumpAsync_RunFinishedFromTheContainer_IsNotForwarded()
    {
        var finished = AgentRunnerJson.SerializeLine(new RunFinished(RunOutcome.Succeeded, TimeSpan.FromSeconds(1)));
        var sink = new RecordingEventSink();
        var reader = new ContainerOutputReader(sink, _ => { });

        await reader.PumpAsync(Multiplexed((1, finished + "\n")), CancellationToken.None);

        Assert.That(sink.Events, Is.Empty);
    }

    [Test]
    public async Task PumpAsync_LineLongerThanTheLimit_IsCutAndNotParsed()
    {
        var sink = new RecordingEventSink();
        var reader = new ContainerOutputReader(sink, _ => { });
        var huge = "{\"type\":\"run.result\"," + new string('x', ContainerOutputReader.MaxLineChars) + "}";

        await reader.PumpAsync(Multiplexed((1, huge + "\nnext\n")), CancellationToken.None);

        var lines = sink.Events.OfType<OutputLine>().Select(o => o.Text).ToList();
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0], Does.EndWith("[line cut at " + ContainerOutputReader.MaxLineChars + " characters]"));
        Assert.That(lines[1], Is.EqualTo("next"));
        Assert.That(reader.ResultLines, Is.Zero);
    }

    private static MultiplexedStream Multiplexed(params (byte Stream, string Text)[] frames)
    {
        var buffer = new MemoryStream();
        foreach (var (stream, text) in frames)
        {
            var payload = Encoding.UTF8.GetBytes(text);
            var header = new byte[8];
            header[0] = stream;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
            buffer.Write(header);
            buffer.Write(payload);
        }

        buffer.Position = 0;
        return new MultiplexedStream(buffer, true);
    }
}

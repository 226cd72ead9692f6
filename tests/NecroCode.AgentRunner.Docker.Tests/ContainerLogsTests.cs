using NecroCode.AgentRunner.Testing;
using System.Buffers.Binary;
using System.Text;
using Docker.DotNet;
using NecroCode.AgentRunner.Execution.Remote;

namespace NecroCode.AgentRunner.Docker.Tests;

[TestFixture]
public sealed class ContainerLogsTests
{
    [Test]
    public async Task PumpAsync_EventsSplitAcrossFrames_ForwardsEachEventAndKeepsTheResult()
    {
        var started = AgentRunnerJson.SerializeLine(new StepStarted("agent") { RunnerId = "runner-1" });
        var result = "{\"type\":\"run.result\",\"result\":{\"taskId\":\"1\",\"specName\":\"calc\",\"runnerId\":\"runner-1\",\"outcome\":\"Succeeded\",\"state\":\"Completed\",\"startedAt\":\"2026-01-01T00:00:00+00:00\",\"finishedAt\":\"2026-01-01T00:00:01+00:00\"}}";
        var text = started + "\n" + result + "\n";
        var sink = new RecordingEventSink();
        var reader = new RemoteEventReader(sink);

        await ContainerLogs.PumpAsync(Multiplexed((1, text[..10]), (2, "warn: slow\n"), (1, text[10..])), reader, CancellationToken.None);

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
        var reader = new RemoteEventReader(sink);

        await ContainerLogs.PumpAsync(Multiplexed((1, "not json")), reader, CancellationToken.None);

        var line = sink.Events.OfType<OutputLine>().Single();
        Assert.That(line.Text, Is.EqualTo("not json"));
        Assert.That(line.Stream, Is.EqualTo(OutputSource.StandardOutput));
        Assert.That(reader.Result, Is.Null);
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

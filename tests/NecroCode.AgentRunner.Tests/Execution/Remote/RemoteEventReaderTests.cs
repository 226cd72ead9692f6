using System.Text;
using NecroCode.AgentRunner.Execution.Remote;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Execution.Remote;

[TestFixture]
public sealed class RemoteEventReaderTests
{
    private const string ResultLine = "{\"type\":\"run.result\",\"result\":{\"taskId\":\"1\",\"specName\":\"calc\",\"runnerId\":\"runner-1\",\"outcome\":\"Succeeded\",\"state\":\"Completed\",\"startedAt\":\"2026-01-01T00:00:00+00:00\",\"finishedAt\":\"2026-01-01T00:00:01+00:00\"}}";

    [Test]
    public void Write_EventSplitAcrossWrites_IsForwardedOnceWhole()
    {
        var started = AgentRunnerJson.SerializeLine(new StepStarted("agent") { RunnerId = "runner-1" }) + "\n";
        var sink = new RecordingEventSink();
        var reader = new RemoteEventReader(sink);

        Write(reader, (OutputSource.StandardOutput, started[..7]), (OutputSource.StandardOutput, started[7..20]), (OutputSource.StandardOutput, started[20..]));

        Assert.That(sink.Events.Cast<StepStarted>().Single().Step, Is.EqualTo("agent"));
        Assert.That(reader.RunnerId, Is.EqualTo("runner-1"));
    }

    [Test]
    public void Write_CompactOutputLineAfterAnEvent_ForwardedAsTheRunnersLineWithThatEventsEnvelope()
    {
        var started = AgentRunnerJson.SerializeLine(new StepStarted("test") { Sequence = 3, RunnerId = "runner-1", TaskId = "1" });
        var sink = new RecordingEventSink();
        var reader = new RemoteEventReader(sink);

        Write(reader, (OutputSource.StandardOutput, started + "\n{\"e\":\"test\",\"t\":\"1 failed\"}\n"));

        var line = sink.Events.OfType<OutputLine>().Single();
        Assert.That((line.Step, line.Stream, line.Text, line.Sequence, line.RunnerId, line.TaskId), Is.EqualTo(("test", OutputSource.StandardError, "1 failed", 4L, "runner-1", "1")));
    }

    [Test]
    public void Write_ResultLine_IsKeptNotForwarded()
    {
        var sink = new RecordingEventSink();
        var reader = new RemoteEventReader(sink);

        Write(reader, (OutputSource.StandardOutput, ResultLine + "\n"));

        Assert.That(sink.Events, Is.Empty);
        Assert.That(reader.Result!.Outcome, Is.EqualTo(RunOutcome.Succeeded));
        Assert.That(reader.ResultLines, Is.EqualTo(1));
    }

    [Test]
    public void Write_StandardErrorBetweenHalvesOfAStandardOutputLine_KeepsTheStreamsApart()
    {
        var sink = new RecordingEventSink();
        var reader = new RemoteEventReader(sink);

        Write(reader, (OutputSource.StandardOutput, "first "), (OutputSource.StandardError, "warn: slow\n"), (OutputSource.StandardOutput, "half\n"));

        Assert.That(sink.Events.Cast<OutputLine>().Select(o => (o.Stream, o.Text)), Is.EqualTo(new[] { (OutputSource.StandardError, "warn: slow"), (OutputSource.StandardOutput, "first half") }));
        Assert.That(reader.LastError, Is.EqualTo("warn: slow"));
    }

    [Test]
    public void Write_CharacterSplitBetweenWrites_IsDecodedWhole()
    {
        var sink = new RecordingEventSink();
        var reader = new RemoteEventReader(sink);
        var bytes = Encoding.UTF8.GetBytes("größer\n");

        reader.Write(bytes.AsSpan(0, 3), OutputSource.StandardOutput);
        reader.Write(bytes.AsSpan(3), OutputSource.StandardOutput);

        Assert.That(sink.Events.OfType<OutputLine>().Single().Text, Is.EqualTo("größer"));
    }

    [Test]
    public void Complete_PlainLineWithoutNewline_BecomesAnOutputLine()
    {
        var sink = new RecordingEventSink();
        var reader = new RemoteEventReader(sink);

        Write(reader, (OutputSource.StandardOutput, "not json"));

        var line = sink.Events.OfType<OutputLine>().Single();
        Assert.That(line.Text, Is.EqualTo("not json"));
        Assert.That(line.Stream, Is.EqualTo(OutputSource.StandardOutput));
        Assert.That(reader.Result, Is.Null);
    }

    [Test]
    public void Write_TwoResultLines_CountsBoth()
    {
        var reader = new RemoteEventReader(new RecordingEventSink());

        Write(reader, (OutputSource.StandardOutput, ResultLine + "\n" + ResultLine + "\n"));

        Assert.That(reader.ResultLines, Is.EqualTo(2));
    }

    [Test]
    public void Write_RunFinishedFromTheRunner_IsHeldBack()
    {
        var finished = AgentRunnerJson.SerializeLine(new RunFinished(RunOutcome.Succeeded, TimeSpan.FromSeconds(1)));
        var sink = new RecordingEventSink();
        var reader = new RemoteEventReader(sink);

        Write(reader, (OutputSource.StandardOutput, finished + "\n"));

        Assert.That(sink.Events, Is.Empty);
    }

    [Test]
    public void Write_LineLongerThanTheLimit_IsCutAndNotParsed()
    {
        var sink = new RecordingEventSink();
        var reader = new RemoteEventReader(sink);
        var huge = "{\"type\":\"run.result\"," + new string('x', RemoteEventReader.MaxLineChars) + "}";

        Write(reader, (OutputSource.StandardOutput, huge + "\nnext\n"));

        var lines = sink.Events.OfType<OutputLine>().Select(o => o.Text).ToList();
        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0], Does.EndWith("[line cut at " + RemoteEventReader.MaxLineChars + " characters]"));
        Assert.That(lines[1], Is.EqualTo("next"));
        Assert.That(reader.ResultLines, Is.Zero);
    }

    [Test]
    public void Write_SecretInALine_IsMaskedBeforeItIsForwarded()
    {
        var masker = new NecroCode.AgentRunner.Security.SecretMasker();
        masker.AddSecret("s3cr3t-value");
        var sink = new RecordingEventSink();
        var errors = new List<string>();
        var reader = new RemoteEventReader(sink, masker, errors.Add);

        Write(reader, (OutputSource.StandardOutput, "token s3cr3t-value\n"), (OutputSource.StandardError, "failed with s3cr3t-value\n"));

        Assert.That(sink.Events.OfType<OutputLine>().Select(o => o.Text), Has.None.Contains("s3cr3t-value"));
        Assert.That(errors, Is.EqualTo(new[] { "failed with " + masker.Mask }));
        Assert.That(reader.LastError, Is.EqualTo("failed with " + masker.Mask));
    }

    private static void Write(RemoteEventReader reader, params (OutputSource Source, string Text)[] chunks)
    {
        foreach (var (source, text) in chunks)
        {
            reader.Write(Encoding.UTF8.GetBytes(text), source);
        }

        reader.Complete();
    }
}

using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Tests.Events;

[TestFixture]
[NonParallelizable] // reads the process-wide instruments
public sealed class RunEventChannelTests
{
    [Test]
    public async Task Publish_RetryScheduled_CountsRetryByStepAndOperation()
    {
        // Arrange
        using var retries = new MetricCollector<long>(AgentRunnerTelemetry.Meter, "agentrunner.retries");
        var step = "push-" + Guid.NewGuid().ToString("N");
        var channel = new RunEventChannel("runner-1", "1.1", NullSecretMasker.Instance, TimeProvider.System, [], NullLogger.Instance, null);

        // Act
        channel.Publish(new RetryScheduled(step, "push", 1, TimeSpan.FromSeconds(2), "remote hung up"));
        channel.Publish(new RetryScheduled(step, "push", 2, TimeSpan.FromSeconds(4), "remote hung up"));
        await channel.CompleteAsync();

        // Assert
        var mine = retries.GetMeasurementSnapshot().Where(m => (string?)m.Tags["step"] == step).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(mine.Sum(m => m.Value), Is.EqualTo(2));
            Assert.That(mine.Select(m => (string?)m.Tags["operation"]).Distinct(), Is.EqualTo(new[] { "push" }));
        });
    }

    [Test]
    public async Task Subscribe_ReaderFallsBehind_DropsOnlyOutputLinesAndCountsThem()
    {
        // Arrange: a subscriber that reads nothing until the run ended, with room for 10 unread lines.
        using var log = new MemoryStream();
        using var runLog = new RunLogWriter(log);
        var channel = new RunEventChannel("runner-1", "1.1", NullSecretMasker.Instance, TimeProvider.System, [], NullLogger.Instance, runLog, subscriberCapacity: 10);
        var events = channel.Subscribe(CancellationToken.None);

        // Act
        channel.Publish(new StepStarted("implement"));
        for (var i = 0; i < 1000; i++)
        {
            channel.Publish(new OutputLine("implement", OutputSource.StandardOutput, $"line {i}"));
        }

        channel.Publish(new StepFinished("implement", StepOutcome.Succeeded, TimeSpan.FromSeconds(1)));
        channel.Publish(new RunFinished(RunOutcome.Succeeded, TimeSpan.FromSeconds(1)));
        await channel.CompleteAsync();
        var received = new List<RunEvent>();
        await foreach (var e in events)
        {
            received.Add(e);
        }

        // Assert
        var dropped = received.OfType<OutputDropped>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(received[0], Is.TypeOf<StepStarted>());
            Assert.That(received.OfType<OutputLine>().Select(l => l.Text), Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"line {i}")));
            Assert.That(dropped.Lines, Is.EqualTo(990));
            Assert.That(dropped.Sequence, Is.EqualTo(1001));
            Assert.That(received.Skip(11).Select(e => e.GetType()), Is.EqualTo(new[] { typeof(OutputDropped), typeof(StepFinished), typeof(RunFinished) }));
            Assert.That(RunLogLines(log).OfType<OutputLine>().Count(), Is.EqualTo(1000));
        });
    }

    [Test]
    public async Task Subscribe_ReaderKeepsUp_GetsEveryEventInOrder()
    {
        // Arrange
        var channel = new RunEventChannel("runner-1", "1.1", NullSecretMasker.Instance, TimeProvider.System, [], NullLogger.Instance, null, subscriberCapacity: 10);
        var events = channel.Subscribe(CancellationToken.None);
        var reader = Task.Run(async () =>
        {
            var received = new List<RunEvent>();
            await foreach (var e in events)
            {
                received.Add(e);
            }

            return received;
        });

        // Act
        for (var i = 0; i < 5; i++)
        {
            channel.Publish(new OutputLine("test", OutputSource.StandardError, $"line {i}"));
        }

        await channel.CompleteAsync();
        var all = await reader;

        // Assert
        Assert.That(all.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
    }

    [Test]
    public async Task PublishAsync_ObserverBehind_ProducerWaitsInsteadOfQueueingAndNothingIsLost()
    {
        // Arrange: an observer that holds the loop on the first event until released; room for 8 waiting lines.
        using var gate = new ManualResetEventSlim();
        using var log = new MemoryStream();
        using var runLog = new RunLogWriter(log);
        var observer = new BlockingObserver(gate);
        var channel = new RunEventChannel("runner-1", "1.1", NullSecretMasker.Instance, TimeProvider.System, [observer], NullLogger.Instance, runLog, outputCapacity: 8);

        // Act
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await channel.PublishAsync(new OutputLine("implement", OutputSource.StandardOutput, $"line {i}"));
            }
        });
        await Task.WhenAny(producer, Task.Delay(TimeSpan.FromMilliseconds(300)));
        gate.Set();
        await producer;
        await channel.CompleteAsync();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(channel.PeakPendingLines, Is.LessThanOrEqualTo(8));
            Assert.That(observer.Count, Is.EqualTo(200));
            Assert.That(RunLogLines(log).OfType<OutputLine>().Count(), Is.EqualTo(200));
        });
    }

    [Test]
    public async Task Subscribe_EnumeratedTwice_SecondThrows()
    {
        // Arrange
        var channel = new RunEventChannel("runner-1", "1.1", NullSecretMasker.Instance, TimeProvider.System, [], NullLogger.Instance, null);
        var events = channel.Subscribe(CancellationToken.None);
        await channel.CompleteAsync();
        await foreach (var _ in events)
        {
        }

        // Act + Assert
        Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in events)
            {
            }
        });
    }

    [Test]
    public async Task PublishOutputAsync_Block_EachLineTakesASequenceAndReachesLogObserversAndSubscribers()
    {
        // Arrange: an event, a block of three lines (stderr, one empty, one with a quote), an event.
        using var log = new MemoryStream();
        using var runLog = new RunLogWriter(log);
        var observer = new RecordingObserver();
        var channel = new RunEventChannel("runner-1", "1.1", NullSecretMasker.Instance, TimeProvider.System, [observer], NullLogger.Instance, runLog);
        var events = channel.Subscribe(CancellationToken.None);
        var block = TestBlocks.Of("test", OutputSource.StandardError, "first", "", "say \"hi\"");

        // Act
        channel.Publish(new StepStarted("test"));
        await channel.PublishOutputAsync(block, NullSecretMasker.Instance);
        channel.Publish(new StepFinished("test", StepOutcome.Succeeded, TimeSpan.FromSeconds(1)));
        await channel.CompleteAsync();
        var received = new List<RunEvent>();
        await foreach (var e in events)
        {
            received.Add(e);
        }

        // Assert: the same as three OutputLine events, everywhere.
        var fromLog = RunLogLines(log);
        Assert.Multiple(() =>
        {
            Assert.That(channel.Count, Is.EqualTo(5));
            foreach (var seen in new[] { observer.Events, received, fromLog })
            {
                Assert.That(seen.Select(e => e.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
                Assert.That(seen.OfType<OutputLine>().Select(l => (l.Step, l.Stream, l.Text)), Is.EqualTo(new[]
                {
                    ("test", OutputSource.StandardError, "first"),
                    ("test", OutputSource.StandardError, ""),
                    ("test", OutputSource.StandardError, "say \"hi\""),
                }));
                Assert.That(seen.OfType<OutputLine>().Select(l => (l.RunnerId, l.TaskId)).Distinct(), Is.EqualTo(new[] { ("runner-1", "1.1") }));
            }

            Assert.That(System.Text.Encoding.UTF8.GetString(log.ToArray()).Split('\n')[1], Is.EqualTo("{\"e\":\"test\",\"t\":\"first\"}"));
        });
    }

    [Test]
    public async Task PublishOutputAsync_MaskedByAnotherMasker_ChannelMasksEachLine()
    {
        // Arrange
        var masker = new SecretMasker();
        masker.AddSecret("hunter2-secret");
        var observer = new RecordingObserver();
        var channel = new RunEventChannel("runner-1", "1.1", masker, TimeProvider.System, [observer], NullLogger.Instance, null);

        // Act: the producer says another masker (none) masked the block.
        await channel.PublishOutputAsync(TestBlocks.Of("test", OutputSource.StandardOutput, "token hunter2-secret here", "clean"), NullSecretMasker.Instance);
        await channel.CompleteAsync();

        // Assert
        Assert.That(observer.Events.OfType<OutputLine>().Select(l => l.Text), Is.EqualTo(new[] { "token *** here", "clean" }));
    }

    [Test]
    public async Task PublishOutputAsync_ObserverBehind_ProducerWaitsPerBlockAndNothingIsLost()
    {
        // Arrange: an observer that holds the loop until released; room for 8 waiting lines; blocks of 5 lines.
        using var gate = new ManualResetEventSlim();
        using var log = new MemoryStream();
        using var runLog = new RunLogWriter(log);
        var observer = new BlockingObserver(gate);
        var channel = new RunEventChannel("runner-1", "1.1", NullSecretMasker.Instance, TimeProvider.System, [observer], NullLogger.Instance, runLog, outputCapacity: 8);

        // Act
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await channel.PublishOutputAsync(TestBlocks.Of("implement", OutputSource.StandardOutput, [.. Enumerable.Range(i * 5, 5).Select(n => $"line {n}")]), NullSecretMasker.Instance);
            }
        });
        await Task.WhenAny(producer, Task.Delay(TimeSpan.FromMilliseconds(300)));
        var waitedWhileHeld = !producer.IsCompleted;
        gate.Set();
        await producer;
        await channel.CompleteAsync();

        // Assert: at most the capacity plus one block waited.
        Assert.Multiple(() =>
        {
            Assert.That(waitedWhileHeld, Is.True, "the producer went on while the loop was held");
            Assert.That(channel.PeakPendingLines, Is.LessThanOrEqualTo(8 + 5));
            Assert.That(observer.Count, Is.EqualTo(200));
            Assert.That(RunLogLines(log).OfType<OutputLine>().Select(l => l.Text), Is.EqualTo(Enumerable.Range(0, 200).Select(n => $"line {n}")));
        });
    }

    [Test]
    public async Task PublishOutputAsync_NothingFollows_LinesReachTheFileWhileTheRunGoesOn()
    {
        // Arrange: a run log file with a buffer far larger than the lines.
        using var folder = new NecroCode.AgentRunner.TestUtilities.TempFolder("channel-");
        var path = folder.Combine("run-log.jsonl");
        var runLog = new RunLogWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, RunLogWriter.BufferSize));
        await using var channel = new RunEventChannel("runner-1", "1.1", NullSecretMasker.Instance, TimeProvider.System, [], NullLogger.Instance, runLog);

        // Act: a block of lines and then nothing (the run is not over, no other event comes).
        await channel.PublishOutputAsync(TestBlocks.Of("test", OutputSource.StandardOutput, "first line", "second line"), NullSecretMasker.Instance);
        var text = "";
        for (var waited = 0; waited < 100 && !text.Contains("second line", StringComparison.Ordinal); waited++)
        {
            await Task.Delay(100);
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            text = await reader.ReadToEndAsync();
        }

        // Assert: both lines are in the file (within a flush interval or so, at most 10 s here).
        Assert.That(text, Is.EqualTo("{\"o\":\"test\",\"t\":\"first line\"}\n{\"o\":\"test\",\"t\":\"second line\"}\n"));
    }

    private sealed class RecordingObserver : IRunEventObserver
    {
        public List<RunEvent> Events { get; } = [];

        public void OnEvent(RunEvent runEvent) => Events.Add(runEvent);
    }

    private sealed class BlockingObserver(ManualResetEventSlim gate) : IRunEventObserver
    {
        public int Count { get; private set; }

        public void OnEvent(RunEvent runEvent)
        {
            gate.Wait();
            Count++;
        }
    }

    private static List<RunEvent> RunLogLines(MemoryStream log) =>
        [.. RunLogReader.ReadAll(System.Text.Encoding.UTF8.GetString(log.ToArray()).Split('\n'))];
}

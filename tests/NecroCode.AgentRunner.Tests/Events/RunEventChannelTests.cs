using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Events;
using NecroCode.AgentRunner.Processes;
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

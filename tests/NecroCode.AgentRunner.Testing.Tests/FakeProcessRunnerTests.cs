using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Testing.Tests;

[TestFixture]
public sealed class FakeProcessRunnerTests
{
    [Test]
    public async Task RunAsync_ScriptedResults_ReturnedInOrderThenTheLastRepeats()
    {
        var runner = new FakeProcessRunner(FakeProcessRunner.Exited(1), FakeProcessRunner.Exited(2, "out", "err"));

        var codes = new List<int?>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await runner.RunAsync(Spec(), CancellationToken.None)).ExitCode);
        }

        Assert.That(codes, Is.EqualTo(new int?[] { 1, 2, 2 }));
    }

    [Test]
    public async Task RunAsync_NoResults_ExitsWithZeroAndNoOutput()
    {
        var result = await new FakeProcessRunner().RunAsync(Spec(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(result.StandardOutput, Is.Empty);
            Assert.That(result.StandardError, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_Delegate_BuildsTheResultFromTheSpecAndEachSpecIsRecorded()
    {
        var runner = new FakeProcessRunner(spec => FakeProcessRunner.Exited(spec.Arguments.Count));
        var first = Spec("a");
        var second = Spec("a", "b");

        var results = new[] { await runner.RunAsync(first, CancellationToken.None), await runner.RunAsync(second, CancellationToken.None) };

        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.ExitCode), Is.EqualTo(new int?[] { 1, 2 }));
            Assert.That(runner.Specs, Is.EqualTo(new[] { first, second }));
        });
    }

    [Test]
    public async Task RunAsync_OutputAdded_PublishedToTheSpecsSinkUnderItsStepBeforeTheResult()
    {
        var sink = new RecordingEventSink();
        var publishedBeforeResult = -1;
        var runner = new FakeProcessRunner(_ => { publishedBeforeResult = sink.Events.Count; return FakeProcessRunner.Exited(0); })
            .AddOutput(OutputSource.StandardOutput, "hello")
            .AddOutput(OutputSource.StandardError, "oops");

        await runner.RunAsync(Spec() with { StepName = "build", Events = sink }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(sink.Events, Is.EqualTo(new RunEvent[]
            {
                new OutputLine("build", OutputSource.StandardOutput, "hello"),
                new OutputLine("build", OutputSource.StandardError, "oops"),
            }));
            Assert.That(publishedBeforeResult, Is.EqualTo(2));
        });
    }

    [Test]
    public void RunAsync_OutputAddedButNoSink_Runs() =>
        Assert.That(async () => await new FakeProcessRunner().AddOutput(OutputSource.StandardOutput, "x").RunAsync(Spec(), CancellationToken.None), Throws.Nothing);

    [Test]
    public async Task RunAsync_AlreadyCancelled_ThrowsPublishesNothingAndRecordsTheSpec()
    {
        var sink = new RecordingEventSink();
        var runner = new FakeProcessRunner().AddOutput(OutputSource.StandardOutput, "never");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        Assert.Multiple(() =>
        {
            Assert.That(async () => await runner.RunAsync(Spec() with { Events = sink }, cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
            Assert.That(sink.Events, Is.Empty);
            Assert.That(runner.Specs, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_CancelledWhileRunning_Throws()
    {
        var runner = new FakeProcessRunner(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return FakeProcessRunner.Exited(0);
        });
        using var cancellation = new CancellationTokenSource();

        var run = runner.RunAsync(Spec(), cancellation.Token);
        await cancellation.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void RunAsync_DelegateThrowsStartFailure_ReachesTheCaller()
    {
        var runner = new FakeProcessRunner(spec => throw new ProcessStartException(spec.FileName, "the file does not exist."));

        Assert.That(async () => await runner.RunAsync(Spec(), CancellationToken.None), Throws.InstanceOf<ProcessStartException>());
    }

    [Test]
    public void RunAsync_NullSpec_Throws() =>
        Assert.That(async () => await new FakeProcessRunner().RunAsync(null!, CancellationToken.None), Throws.ArgumentNullException);

    private static ProcessSpec Spec(params string[] arguments) =>
        new() { FileName = "tool", Arguments = arguments, WorkingDirectory = "/work" };
}

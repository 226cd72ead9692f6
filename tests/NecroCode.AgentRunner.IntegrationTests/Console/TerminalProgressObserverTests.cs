using Microsoft.Extensions.Time.Testing;
using NecroCode.AgentRunner.Cli;

namespace NecroCode.AgentRunner.IntegrationTests.Console;

[TestFixture]
public sealed class TerminalProgressObserverTests
{
    private const string Clear = "\r\u001b[2K";
    private const string Reverse = "\u001b[7m";

    [Test]
    public void OnEvent_StepWithOutputAndRetry_ScrollsLinesAndShowsStatusInPlace()
    {
        // Arrange
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var writer = new StringWriter();
        var observer = new TerminalProgressObserver(writer, showTask: false, time);
        var at = time.GetUtcNow();

        // Act
        observer.OnEvent(new StepStarted("implement") { Timestamp = at });
        time.Advance(TimeSpan.FromSeconds(2.5));
        observer.OnEvent(new OutputLine("implement", OutputSource.StandardOutput, "compiling") { Timestamp = at });
        observer.OnEvent(new RetryScheduled("implement", "push", 1, TimeSpan.FromSeconds(2), "remote hung up") { Timestamp = at });
        var whileRunning = writer.ToString();
        observer.OnEvent(new StepFinished("implement", StepOutcome.Succeeded, TimeSpan.FromSeconds(3)) { Timestamp = at });
        observer.Dispose();
        var output = writer.ToString();

        // Assert
        var lastStatus = whileRunning[whileRunning.LastIndexOf(Reverse, StringComparison.Ordinal)..];
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("> implement"));
            Assert.That(output, Does.Contain("  | compiling"));
            Assert.That(output, Does.Contain("  retry push (attempt 1 failed, next in 2.0s): remote hung up"));
            Assert.That(output, Does.Contain("ok implement (3.0s)"));
            Assert.That(lastStatus, Is.EqualTo(Reverse + "» implement 2.5s · 1 retry · compiling\u001b[0m"));
            Assert.That(output, Does.Contain(Clear + "[    0.0s]   | compiling"), "the status line is cleared before a permanent line");
            Assert.That(output[output.LastIndexOf(Reverse, StringComparison.Ordinal)..], Does.Contain(Clear), "no status is left once the step ended");
        });
    }

    [Test]
    public void OnEvent_LongOutputLine_StatusCutToTheWidthWithAnEllipsis()
    {
        // Arrange
        var time = new FakeTimeProvider();
        using var writer = new StringWriter();
        using var observer = new TerminalProgressObserver(writer, showTask: false, time);

        // Act
        observer.OnEvent(new StepStarted("test"));
        observer.OnEvent(new OutputLine("test", OutputSource.StandardOutput, new string('x', 5000)));

        // Assert
        var output = writer.ToString();
        var status = output[(output.LastIndexOf(Reverse, StringComparison.Ordinal) + Reverse.Length)..output.LastIndexOf("\u001b[0m", StringComparison.Ordinal)];
        Assert.Multiple(() =>
        {
            Assert.That(status, Does.StartWith("» test 0.0s · xxx"));
            Assert.That(status, Does.EndWith("…"));
            Assert.That(status.Length, Is.LessThan(5000));
        });
    }
}

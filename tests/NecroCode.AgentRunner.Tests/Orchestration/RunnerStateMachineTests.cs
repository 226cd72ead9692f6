using Microsoft.Extensions.Time.Testing;
using NecroCode.AgentRunner.State;

namespace NecroCode.AgentRunner.Tests.Orchestration;

[TestFixture]
public sealed class RunnerStateMachineTests
{
    [Test]
    public void MoveTo_LegalPath_TimestampsEachTransition()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var seen = new List<StateTransition>();
        var machine = new RunnerStateMachine(time, seen.Add);

        machine.MoveTo(RunnerState.Running);
        time.Advance(TimeSpan.FromSeconds(5));
        machine.MoveTo(RunnerState.Completed);

        Assert.Multiple(() =>
        {
            Assert.That(machine.Current, Is.EqualTo(RunnerState.Completed));
            Assert.That(seen, Is.EqualTo(machine.Transitions));
            Assert.That(machine.Transitions[1].At - machine.Transitions[0].At, Is.EqualTo(TimeSpan.FromSeconds(5)));
        });
    }

    [TestCase(RunnerState.Idle, RunnerState.Completed)]
    [TestCase(RunnerState.Completed, RunnerState.Running)]
    [TestCase(RunnerState.Failed, RunnerState.Completed)]
    [TestCase(RunnerState.Running, RunnerState.Idle)]
    [TestCase(RunnerState.Running, RunnerState.Running)]
    public void IsAllowed_IllegalTransition_False(RunnerState from, RunnerState to)
    {
        Assert.That(RunnerStateMachine.IsAllowed(from, to), Is.False);
    }

    [Test]
    public void MoveTo_IllegalTransition_RefusedAndStateKept()
    {
        var machine = new RunnerStateMachine(TimeProvider.System);

        var ex = Assert.Throws<InvalidStateTransitionException>(() => machine.MoveTo(RunnerState.Completed));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.From, Is.EqualTo(RunnerState.Idle));
            Assert.That(machine.Current, Is.EqualTo(RunnerState.Idle));
            Assert.That(machine.Transitions, Is.Empty);
        });
    }
}

using NecroCode.AgentRunner.Orchestration.Steps;

namespace NecroCode.AgentRunner.Tests.Orchestration.Steps;

[TestFixture]
public sealed class AcquireSlotStepTests
{
    [Test]
    public void Check_TaskNotClaimed_NeedsRegister()
    {
        using var h = new StepHarness();
        var context = h.Context();

        var verdict = h.AcquireSlot().Check(context);

        Assert.That(verdict, Is.EqualTo(StepVerdict.MissingPrerequisite("acquire-slot", "register")));
    }

    [Test]
    public async Task Check_TaskClaimed_LetsTheStepRun()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();

        Assert.That(h.AcquireSlot().Check(context), Is.Null);
    }

    [Test]
    public async Task Resume_ResumedRun_NoResumeRule()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync(previous: h.NewJournal() with { SlotId = "slot-1" });

        Assert.That(((IRunStep)h.AcquireSlot()).Resume(context), Is.Null);
    }

    [Test]
    public async Task RunAsync_PoolHasAFreeSlot_LeasesItAndRecordsItInTheJournal()
    {
        using var h = new StepHarness();
        var context = await h.ClaimedAsync();

        var verdict = await h.AcquireSlot().RunAsync(context, CancellationToken.None);

        var stored = await h.StoredJournalAsync(context);
        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(context.Lease, Is.EqualTo(h.Slots.Held.Single()));
            Assert.That(context.Lease!.Path, Is.EqualTo(h.SlotPath));
            Assert.That(stored!.SlotId, Is.EqualTo("slot-1"));
        });
    }

    [Test]
    public async Task RunAsync_ResumedRun_AsksThePoolForThePreviousSlot()
    {
        using var h = new StepHarness();
        var second = Path.Combine(h.Root, "slot-2");
        Directory.CreateDirectory(second);
        h.Slots.AddSlot("slot-2", second);
        var context = await h.ClaimedAsync(previous: h.NewJournal() with { SlotId = "slot-2" });

        await h.AcquireSlot().RunAsync(context, CancellationToken.None);

        Assert.That(context.Lease!.SlotId, Is.EqualTo("slot-2"));
    }

    [Test]
    public async Task RunAsync_TaskAssignsAnExistingSlotPath_AssignedLeaseWithoutThePool()
    {
        using var h = new StepHarness();
        var assigned = Path.Combine(h.Root, "assigned-slot");
        Directory.CreateDirectory(assigned);
        var context = await h.ClaimedAsync(StepHarness.NewTask() with { SlotPath = assigned });

        var verdict = await h.AcquireSlot().RunAsync(context, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(verdict, Is.EqualTo(StepVerdict.Succeeded));
            Assert.That(context.Lease, Is.EqualTo(new SlotLease("assigned-slot", assigned, AcquireSlotStep.AssignedLeaseId)));
            Assert.That(h.Slots.Held, Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_TaskAssignsAMissingSlotPath_ThrowsSlotUnavailable()
    {
        using var h = new StepHarness();
        var missing = Path.Combine(h.Root, "nowhere");
        var context = await h.ClaimedAsync(StepHarness.NewTask() with { SlotPath = missing });

        var ex = Assert.ThrowsAsync<SlotUnavailableException>(() => h.AcquireSlot().RunAsync(context, CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo($"The assigned slot '{missing}' does not exist."));
    }

    [Test]
    public async Task RunAsync_NoFreeSlot_ThrowsSlotUnavailable()
    {
        using var h = new StepHarness();
        await h.Slots.AcquireAsync(new SlotRequest(new TaskKey("demo", "other"), "runner-other"), CancellationToken.None);
        var context = await h.ClaimedAsync();

        Assert.ThrowsAsync<SlotUnavailableException>(() => h.AcquireSlot().RunAsync(context, CancellationToken.None));
    }
}

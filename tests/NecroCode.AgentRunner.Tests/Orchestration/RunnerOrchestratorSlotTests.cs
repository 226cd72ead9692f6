using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Testing;
using NecroCode.AgentRunner.Tests.Processes;

namespace NecroCode.AgentRunner.Tests.Orchestration;

/// <summary>The acquire-slot step: a slot taken over from a dead holder is cleared of that holder's processes, whatever the pool.</summary>
[TestFixture]
[Category("Integration")]
public sealed class RunnerOrchestratorSlotTests
{
    [Test]
    public async Task RunAsync_ConsumersPoolReportsStaleLease_AcquireStepStopsItsProcessesBeforeTheAgent()
    {
        using var h = new OrchestratorHarness();
        var trackingId = Guid.NewGuid().ToString("N");
        using var leftover = LeftoverProcess.Start(trackingId);
        var pool = new StaleLeasePool(h.Slots, trackingId);
        h.SlotPool = pool;
        var agentSawLeftover = true;
        h.Agent = new FakeCodingAgent(async (request, ct) =>
        {
            agentSawLeftover = !leftover.Process.HasExited;
            return await FakeCodingAgent.Writing("src/feature.txt", "implemented\n").ImplementAsync(request, ct);
        });

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(agentSawLeftover, Is.False, "the stale holder's process still ran when the agent started");
            Assert.That(leftover.Stopped(), Is.True);
            Assert.That(pool.Requests.Single().ProcessTrackingId, Is.Not.Null.And.Not.EqualTo(trackingId));
        });
    }

    [Test]
    public async Task RunAsync_FileSystemPoolTakesOverDeadHoldersSlot_AcquireStepStopsItsProcesses()
    {
        using var h = new OrchestratorHarness();
        var options = new FileSystemOptions { RootPath = Path.Combine(h.Root, "pool") };
        Directory.CreateDirectory(Path.Combine(options.GetSlotsPath(), "slot-0"));
        var pool = new FileSystemSlotPool(Options.Create(options), TimeProvider.System, NullLogger<FileSystemSlotPool>.Instance);
        h.SlotPool = pool;
        var trackingId = Guid.NewGuid().ToString("N");
        using var leftover = LeftoverProcess.Start(trackingId);
        WriteDeadHoldersLease(pool, "slot-0", trackingId);

        var result = await h.Create().RunAsync(OrchestratorHarness.Task(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(RunOutcome.Succeeded), result.Error?.Message);
            Assert.That(leftover.Stopped(), Is.True, "the dead holder's process still runs");
        });
    }

    private static void WriteDeadHoldersLease(FileSystemSlotPool pool, string slotId, string trackingId)
    {
        var leases = Path.Combine(pool.RootPath, ".leases");
        Directory.CreateDirectory(leases);
        var holder = new ProcessIdentity(999_999, Environment.MachineName, "1", null);
        var document = new SlotLeaseDocument("stale", slotId, "runner-0", new TaskKey("demo", "0"), holder, DateTimeOffset.UnixEpoch, trackingId);
        File.WriteAllBytes(Path.Combine(leases, slotId + ".lease"), JsonSerializer.SerializeToUtf8Bytes(document, FileSystemJsonContext.Default.SlotLeaseDocument));
    }

    /// <summary>A consumer's own pool: hands out the slots of <paramref name="inner"/>, reporting a stale holder on the first lease.</summary>
    private sealed class StaleLeasePool(FakeSlotPool inner, string staleTrackingId) : ISlotPool
    {
        private readonly List<SlotRequest> _requests = [];

        public IReadOnlyList<SlotRequest> Requests => _requests;

        public async Task<SlotLease> AcquireAsync(SlotRequest request, CancellationToken cancellationToken)
        {
            _requests.Add(request);
            var lease = await inner.AcquireAsync(request, cancellationToken);
            return _requests.Count == 1 ? lease with { StaleProcessTrackingId = staleTrackingId } : lease;
        }

        public Task ReleaseAsync(SlotLease lease, CancellationToken cancellationToken) => inner.ReleaseAsync(lease, cancellationToken);

        public Task QuarantineAsync(SlotLease lease, string reason, CancellationToken cancellationToken) => inner.QuarantineAsync(lease, reason, cancellationToken);
    }
}

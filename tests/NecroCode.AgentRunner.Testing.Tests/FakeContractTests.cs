using Microsoft.Extensions.Time.Testing;
using NecroCode.AgentRunner.Testing.Contracts;

namespace NecroCode.AgentRunner.Testing.Tests;

/// <summary>The fakes keep the providers' contracts: with claims that last while the holder is registered, and with leases.</summary>
[TestFixture]
public sealed class FakeContractTests
{
    [TestCaseSource(typeof(TaskRegistryContract), nameof(TaskRegistryContract.Cases))]
    public Task FakeTaskRegistry_KeepsTheRegistryContract(ContractCase<ITaskRegistryContractSubject> contractCase) =>
        contractCase.RunAsync(new FakeSubject(lease: null), CancellationToken.None);

    [TestCaseSource(typeof(TaskRegistryContract), nameof(TaskRegistryContract.Cases))]
    public Task FakeTaskRegistry_WithLeases_KeepsTheRegistryContract(ContractCase<ITaskRegistryContractSubject> contractCase) =>
        contractCase.RunAsync(new FakeSubject(lease: TimeSpan.FromSeconds(30)), CancellationToken.None);

    [TestCaseSource(typeof(TaskQueueContract), nameof(TaskQueueContract.Cases))]
    public Task FakeTaskQueue_KeepsTheQueueContract(ContractCase<ITaskQueueContractSubject> contractCase) =>
        contractCase.RunAsync(new FakeSubject(lease: null), CancellationToken.None);

    [TestCaseSource(typeof(BranchLockContract), nameof(BranchLockContract.Cases))]
    public Task FakeBranchLock_KeepsTheBranchLockContract(ContractCase<IBranchLockContractSubject> contractCase) =>
        contractCase.RunAsync(new FakeSubject(lease: null), CancellationToken.None);

    [Test]
    public async Task LeasedClaim_NotRenewedWithinTheLease_Lapses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var registry = new FakeTaskRegistry(time) { LeaseDuration = TimeSpan.FromSeconds(30) };
        var task = new TaskKey("spec", "1");
        await registry.RegisterRunnerAsync(new RunnerRegistration("runner-1", task, Environment.MachineName, Environment.ProcessId, time.GetUtcNow()), CancellationToken.None);
        var claim = await registry.TryClaimTaskAsync(task, "runner-1", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(20));
        var renewed = await registry.RenewClaimAsync(task, "runner-1", CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(30));

        var late = await registry.RenewClaimAsync(task, "runner-1", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(claim.ExpiresAt, Is.EqualTo(DateTimeOffset.UnixEpoch.AddSeconds(30)));
            Assert.That(renewed.ExpiresAt, Is.EqualTo(DateTimeOffset.UnixEpoch.AddSeconds(50)));
            Assert.That(late.Claimed, Is.False);
            Assert.ThrowsAsync<ClaimLostException>(() => registry.SetTaskStateAsync(task, TaskState.Done, "runner-1", CancellationToken.None));
        });
    }

    /// <summary>One fake registry, its queue and one branch lock: every "client" is the same instance.</summary>
    private sealed class FakeSubject(TimeSpan? lease) : ITaskQueueContractSubject, IBranchLockContractSubject
    {
        private readonly FakeTaskRegistry _registry = new() { LeaseDuration = lease };
        private readonly FakeBranchLock _locks = new();
        private FakeTaskQueue? _queue;

        public ITaskRegistry OpenRegistry() => _registry;

        public ITaskQueue OpenQueue() => _queue ??= new FakeTaskQueue(_registry);

        public IBranchLock OpenBranchLock() => _locks;

        public Task LapseClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken)
        {
            _registry.ExpireClaim(task);
            return Task.CompletedTask;
        }
    }
}

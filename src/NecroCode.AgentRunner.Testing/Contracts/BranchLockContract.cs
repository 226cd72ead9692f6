using static NecroCode.AgentRunner.Testing.Contracts.ContractActors;

namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>
/// The behaviour every <see cref="IBranchLock"/> must have, as cases to run against a provider: one holder per
/// branch, a wait for the holder to let go, a conflict naming the holder when the wait runs out, and the lock freed
/// when the holder disposes of it.
/// </summary>
/// <remarks>
/// <code>
/// [TestCaseSource(typeof(BranchLockContract), nameof(BranchLockContract.Cases))]
/// public Task Branch_locks_keep_the_contract(ContractCase&lt;IBranchLockContractSubject&gt; contractCase) =&gt;
///     contractCase.RunAsync(new MyBranchLockSubject(), CancellationToken.None);
/// </code>
/// </remarks>
public static class BranchLockContract
{
    /// <summary>How long a case waits for what it expects before it reports a violation (a bound, never a measurement).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    /// <summary>The cases.</summary>
    public static IEnumerable<ContractCase<IBranchLockContractSubject>> Cases =>
    [
        new("A held branch is refused to another runner at once, naming the holder", ExclusiveAsync),
        new("A branch is free again once its holder disposes of the lock", ReleasedAsync),
        new("A runner waiting for a branch gets it when the holder lets go", WaitAsync),
        new("Locks of different branches do not exclude each other", IndependentAsync),
        new("A cancelled wait throws and leaves nothing held", CancelledAsync),
    ];

    private static async Task ExclusiveAsync(IBranchLockContractSubject subject, CancellationToken ct)
    {
        var branch = NewBranch();
        var holder = NewRunner("holder");
        await using var held = await subject.OpenBranchLock().AcquireBranchAsync(branch, holder, TimeSpan.Zero, ct).ConfigureAwait(false);

        var conflict = await Expect.ThrowsAsync<TaskConflictException>(
            () => subject.OpenBranchLock().AcquireBranchAsync(branch, NewRunner("other"), TimeSpan.Zero, ct),
            $"A second runner taking the held branch '{branch}' without waiting").ConfigureAwait(false);

        Expect.That(
            string.Equals(conflict.HeldBy, holder, StringComparison.Ordinal) || conflict.Message.Contains(holder, StringComparison.Ordinal),
            $"The conflict must name the holder {holder}; it says: {conflict.Message} (held by {conflict.HeldBy ?? "nobody named"}).");
    }

    private static async Task ReleasedAsync(IBranchLockContractSubject subject, CancellationToken ct)
    {
        var branch = NewBranch();
        var held = await subject.OpenBranchLock().AcquireBranchAsync(branch, NewRunner("first"), TimeSpan.Zero, ct).ConfigureAwait(false);
        await held.DisposeAsync().ConfigureAwait(false);
        await held.DisposeAsync().ConfigureAwait(false);

        await using var again = await subject.OpenBranchLock().AcquireBranchAsync(branch, NewRunner("second"), TimeSpan.Zero, ct).ConfigureAwait(false);
    }

    private static async Task WaitAsync(IBranchLockContractSubject subject, CancellationToken ct)
    {
        var branch = NewBranch();
        var held = await subject.OpenBranchLock().AcquireBranchAsync(branch, NewRunner("holder"), TimeSpan.Zero, ct).ConfigureAwait(false);
        var waiting = subject.OpenBranchLock().AcquireBranchAsync(branch, NewRunner("waiter"), Patience, ct);
        await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(100), ct)).ConfigureAwait(false);
        Expect.That(!waiting.IsCompletedSuccessfully, "A second runner got a branch that was still held.");

        await held.DisposeAsync().ConfigureAwait(false);

        await using var got = await waiting.WaitAsync(Patience + Patience, ct).ConfigureAwait(false);
    }

    private static async Task IndependentAsync(IBranchLockContractSubject subject, CancellationToken ct)
    {
        var locks = subject.OpenBranchLock();
        await using var first = await locks.AcquireBranchAsync(NewBranch(), NewRunner("one"), TimeSpan.Zero, ct).ConfigureAwait(false);
        await using var second = await locks.AcquireBranchAsync(NewBranch(), NewRunner("two"), TimeSpan.Zero, ct).ConfigureAwait(false);
    }

    private static async Task CancelledAsync(IBranchLockContractSubject subject, CancellationToken ct)
    {
        var branch = NewBranch();
        var held = await subject.OpenBranchLock().AcquireBranchAsync(branch, NewRunner("holder"), TimeSpan.Zero, ct).ConfigureAwait(false);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var waiting = subject.OpenBranchLock().AcquireBranchAsync(branch, NewRunner("waiter"), Timeout.InfiniteTimeSpan, cancel.Token);

        await cancel.CancelAsync().ConfigureAwait(false);
        await Expect.ThrowsAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience, ct), "A wait for a held branch, cancelled").ConfigureAwait(false);
        await held.DisposeAsync().ConfigureAwait(false);

        await using var free = await subject.OpenBranchLock().AcquireBranchAsync(branch, NewRunner("later"), TimeSpan.Zero, ct).ConfigureAwait(false);
    }

    private static string NewBranch() => "contract/" + NewRunner("branch");
}

using static NecroCode.AgentRunner.Testing.Contracts.ContractActors;

namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>The registry's claims: who holds a task, the fencing number, renewal.</summary>
internal static class RegistryClaimCases
{
    /// <summary>How many runners claim one task at once.</summary>
    private const int Claimers = 8;

    public static IEnumerable<ContractCase<ITaskRegistryContractSubject>> All =>
    [
        new("A claim of a new task holds it: Running under the runner, with a fencing number", NewTaskAsync),
        new("A task held by a live runner is refused to another runner, naming the holder", HeldTaskAsync),
        new("Of many runners claiming one task at once, exactly one wins", ConcurrentClaimsAsync),
        new("The holder may claim its task again; the fencing number grows", ReclaimAsync),
        new("The fencing number grows with every claim, by any runner", FenceGrowsAsync),
        new("The holder renews its claim under the same fencing number", RenewAsync),
        new("A renewal by a runner that does not hold the task fails, naming the holder", RenewByOtherAsync),
        new("A claim that lapsed is not renewed", RenewLapsedAsync),
        new("A task whose claim lapsed is taken over, with a larger fencing number", TakeOverAsync),
    ];

    private static async Task NewTaskAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (runner, claim) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);

        var record = await RecordAsync(registry, task, ct).ConfigureAwait(false);
        Expect.That(claim.Fence > 0, $"A claim's fencing number must be positive; got {claim.Fence}.");
        Expect.That(claim.ExpiresAt is null || claim.ExpiresAt > DateTimeOffset.UtcNow.AddSeconds(-1), $"A fresh claim must not have expired already (expires {claim.ExpiresAt:O}).");
        Expect.Equal(TaskState.Running, record.State, "The claimed task's state");
        Expect.Equal(runner, record.RunnerId, "The claimed task's runner");
    }

    private static async Task HeldTaskAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, _) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);
        var other = await RegisterAsync(subject.OpenRegistry(), task, "other", ct).ConfigureAwait(false);

        var refused = await subject.OpenRegistry().TryClaimTaskAsync(task, other, ct).ConfigureAwait(false);

        Expect.That(!refused.Claimed, "A second runner's claim of a task held by a live runner must be refused.");
        Expect.Equal(holder, refused.HeldBy, "The refused claim's holder");
        Expect.Equal(0L, refused.Fence, "A refused claim's fencing number");
        Expect.Equal(holder, (await RecordAsync(registry, task, ct).ConfigureAwait(false)).RunnerId, "The task's runner after a refused claim");
    }

    private static async Task ConcurrentClaimsAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var task = NewTask();
        var runners = new List<(ITaskRegistry Registry, string RunnerId)>();
        for (var i = 0; i < Claimers; i++)
        {
            var registry = subject.OpenRegistry();
            runners.Add((registry, await RegisterAsync(registry, task, "claimer", ct).ConfigureAwait(false)));
        }

        using var start = new ManualResetEventSlim();
        var claims = runners.Select(r => Task.Run(
            async () =>
            {
                start.Wait(ct);
                return (r.RunnerId, Claim: await r.Registry.TryClaimTaskAsync(task, r.RunnerId, ct).ConfigureAwait(false));
            },
            ct)).ToList();
        start.Set();
        var results = await Task.WhenAll(claims).ConfigureAwait(false);

        var winners = results.Where(r => r.Claim.Claimed).Select(r => r.RunnerId).ToList();
        Expect.Equal(1, winners.Count, $"Runners that won one task claimed by {Claimers} at once ({string.Join(", ", winners)})");
        foreach (var (runnerId, claim) in results.Where(r => !r.Claim.Claimed))
        {
            Expect.Equal(winners[0], claim.HeldBy, $"The holder named to the refused runner {runnerId}");
        }

        Expect.Equal(winners[0], (await RecordAsync(runners[0].Registry, task, ct).ConfigureAwait(false)).RunnerId, "The task's runner after the race");
    }

    private static async Task ReclaimAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, first) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);

        var again = await subject.OpenRegistry().TryClaimTaskAsync(task, holder, ct).ConfigureAwait(false);

        Expect.That(again.Claimed, "The holder's second claim of its own task must succeed.");
        Expect.That(again.Fence > first.Fence, $"The fencing number must grow with the holder's second claim: {first.Fence}, then {again.Fence}.");
    }

    private static async Task FenceGrowsAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (first, claim1) = await ClaimAsync(registry, task, "first", ct).ConfigureAwait(false);
        await registry.SetTaskStateAsync(task, TaskState.Failed, first, ct).ConfigureAwait(false);
        var (second, claim2) = await ClaimAsync(subject.OpenRegistry(), task, "second", ct).ConfigureAwait(false);
        await subject.LapseClaimAsync(task, second, ct).ConfigureAwait(false);
        var (_, claim3) = await ClaimAsync(subject.OpenRegistry(), task, "third", ct).ConfigureAwait(false);

        Expect.That(
            claim1.Fence < claim2.Fence && claim2.Fence < claim3.Fence,
            $"The fencing number must grow with every claim (after a Failed state, after a lapse): {claim1.Fence}, {claim2.Fence}, {claim3.Fence}.");
    }

    private static async Task RenewAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, claim) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);

        var renewed = await subject.OpenRegistry().RenewClaimAsync(task, holder, ct).ConfigureAwait(false);

        Expect.That(renewed.Claimed, "The holder's renewal of its live claim must succeed.");
        Expect.Equal(claim.Fence, renewed.Fence, "The fencing number after a renewal");
        Expect.Equal(claim.ExpiresAt is null, renewed.ExpiresAt is null, "Whether the renewed claim has an expiry, as the claim had");
        Expect.That(renewed.ExpiresAt is null || renewed.ExpiresAt >= claim.ExpiresAt, $"A renewal must not bring the expiry forward: {claim.ExpiresAt:O}, then {renewed.ExpiresAt:O}.");
        Expect.Equal(TaskState.Running, (await RecordAsync(registry, task, ct).ConfigureAwait(false)).State, "The task's state after a renewal");
    }

    private static async Task RenewByOtherAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, _) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);
        var other = await RegisterAsync(registry, task, "other", ct).ConfigureAwait(false);

        var renewed = await registry.RenewClaimAsync(task, other, ct).ConfigureAwait(false);

        Expect.That(!renewed.Claimed, "A renewal by a runner that never held the task must fail.");
        Expect.Equal(holder, renewed.HeldBy, "The holder named to the failed renewal");
    }

    private static async Task RenewLapsedAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, _) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);
        await subject.LapseClaimAsync(task, holder, ct).ConfigureAwait(false);

        var renewed = await registry.RenewClaimAsync(task, holder, ct).ConfigureAwait(false);

        Expect.That(!renewed.Claimed, "A claim that lapsed must not be renewed, even though nobody took the task over yet.");
    }

    private static async Task TakeOverAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, old) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);
        await subject.LapseClaimAsync(task, holder, ct).ConfigureAwait(false);

        var (successor, taken) = await ClaimAsync(subject.OpenRegistry(), task, "successor", ct).ConfigureAwait(false);

        var record = await RecordAsync(registry, task, ct).ConfigureAwait(false);
        Expect.That(taken.Fence > old.Fence, $"The take-over's fencing number must be larger than the lapsed claim's: {old.Fence}, then {taken.Fence}.");
        Expect.Equal((TaskState.Running, (string?)successor), (record.State, record.RunnerId), "The task's state and runner after the take-over");
        var renewal = await registry.RenewClaimAsync(task, holder, ct).ConfigureAwait(false);
        Expect.That(!renewal.Claimed, "The old holder's renewal after a take-over must fail.");
        Expect.Equal(successor, renewal.HeldBy, "The holder named to the old holder's renewal");
    }
}

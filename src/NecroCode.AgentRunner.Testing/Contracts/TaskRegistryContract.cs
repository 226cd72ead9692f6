using static NecroCode.AgentRunner.Testing.Contracts.ContractActors;

namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>
/// The behaviour every <see cref="ITaskRegistry"/> must have, as cases to run against a provider: claims (exactly one
/// winner, a fencing number that grows, renewal, take-over of a lapsed claim), fenced writes (a runner that no longer
/// holds its task is refused with <see cref="ClaimLostException"/>; writes about a task nobody holds are accepted),
/// the event log under concurrent appends, artifacts, registrations and branch claims.
/// </summary>
/// <remarks>
/// <code>
/// [TestCaseSource(typeof(TaskRegistryContract), nameof(TaskRegistryContract.Cases))]
/// public Task Registry_keeps_the_contract(ContractCase&lt;ITaskRegistryContractSubject&gt; contractCase) =&gt;
///     contractCase.RunAsync(new MyRegistrySubject(), CancellationToken.None);
/// </code>
/// </remarks>
public static class TaskRegistryContract
{
    /// <summary>How many tasks claim one branch at once.</summary>
    private const int BranchClaimers = 6;

    /// <summary>The cases.</summary>
    public static IEnumerable<ContractCase<ITaskRegistryContractSubject>> Cases =>
    [
        .. RegistryClaimCases.All,
        .. RegistryWriteCases.All,
        new("A branch belongs to the first task that claims it, whatever the letter case", BranchFirstWinsAsync),
        new("Of many tasks claiming one branch at once, exactly one owns it", BranchRaceAsync),
    ];

    private static async Task BranchFirstWinsAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var (first, second) = (NewTask(), NewTask());
        var branch = "contract/" + first.TaskId;
        Expect.Equal(null, await registry.GetBranchClaimAsync(branch, ct).ConfigureAwait(false), "The claim of a branch nobody claimed");

        var won = await registry.TryClaimBranchAsync(branch, first, "runner-a", ct).ConfigureAwait(false);
        var lost = await subject.OpenRegistry().TryClaimBranchAsync(branch.ToUpperInvariant(), second, "runner-b", ct).ConfigureAwait(false);
        var again = await registry.TryClaimBranchAsync(branch, first, "runner-c", ct).ConfigureAwait(false);

        Expect.That(won.IsOwnedBy(first), $"The first claim of branch '{branch}' must make task {first} its owner; the owner is {won.Owner}.");
        Expect.Equal(first, lost.Owner, "The owner named to a later task claiming the branch in other letter case");
        Expect.Equal("runner-a", lost.RunnerId, "The runner named to a later task claiming the branch");
        Expect.That(again.IsOwnedBy(first), "The owner's claim of its branch again must succeed.");
        var read = await registry.GetBranchClaimAsync(branch.ToUpperInvariant(), ct).ConfigureAwait(false);
        Expect.Equal(first, read?.Owner, "The owner read back in other letter case");
    }

    private static async Task BranchRaceAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var branch = "contract/race-" + NewTask().TaskId;
        var tasks = Enumerable.Range(0, BranchClaimers).Select(_ => (Registry: subject.OpenRegistry(), Task: NewTask())).ToList();
        using var start = new ManualResetEventSlim();
        var claims = tasks.Select(t => Task.Run(
            async () =>
            {
                start.Wait(ct);
                return await t.Registry.TryClaimBranchAsync(branch, t.Task, "runner-" + t.Task.TaskId, ct).ConfigureAwait(false);
            },
            ct)).ToList();
        start.Set();
        var results = await Task.WhenAll(claims).ConfigureAwait(false);

        var owners = results.Select(c => c.Owner).Distinct().ToList();
        Expect.Equal(1, owners.Count, $"Owners of one branch claimed by {BranchClaimers} tasks at once ({string.Join(", ", owners)})");
        Expect.Equal(owners[0], (await subject.OpenRegistry().GetBranchClaimAsync(branch, ct).ConfigureAwait(false))?.Owner, "The branch's owner read back");
    }
}

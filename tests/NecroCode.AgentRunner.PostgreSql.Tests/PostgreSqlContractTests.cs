using NecroCode.AgentRunner.Testing.Contracts;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL provider keeps the contracts every provider keeps: each case gets a fresh schema, and every client
/// the case opens is a new <see cref="PostgreSqlFleet"/> on it (another "machine").
/// </summary>
[TestFixture]
public sealed class PostgreSqlContractTests
{
    [TestCaseSource(typeof(TaskRegistryContract), nameof(TaskRegistryContract.Cases))]
    public Task PostgreSqlTaskRegistry_KeepsTheRegistryContract(ContractCase<ITaskRegistryContractSubject> contractCase) =>
        RunAsync(contractCase.RunAsync);

    [TestCaseSource(typeof(TaskQueueContract), nameof(TaskQueueContract.Cases))]
    public Task PostgreSqlTaskQueue_KeepsTheQueueContract(ContractCase<ITaskQueueContractSubject> contractCase) =>
        RunAsync(contractCase.RunAsync);

    [TestCaseSource(typeof(BranchLockContract), nameof(BranchLockContract.Cases))]
    public Task PostgreSqlBranchLocks_KeepTheBranchLockContract(ContractCase<IBranchLockContractSubject> contractCase) =>
        RunAsync(contractCase.RunAsync);

    private static async Task RunAsync(Func<PostgreSqlSubject, CancellationToken, Task> run)
    {
        await using var database = await TestDatabase.CreateAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await run(new PostgreSqlSubject(database), timeout.Token);
    }

    /// <summary>
    /// Every client is a new provider instance with a machine id of its own over the case's schema; a claim lapses when
    /// its lease is moved into the past on the server's clock, as when its holder stops renewing it.
    /// </summary>
    private sealed class PostgreSqlSubject(TestDatabase database) : ITaskQueueContractSubject, IBranchLockContractSubject
    {
        private int _machines;

        public ITaskRegistry OpenRegistry() => Open().Registry;

        public ITaskQueue OpenQueue() => Open().Queue;

        public IBranchLock OpenBranchLock() => Open().BranchLock;

        public Task LapseClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken) =>
            database.ExpireClaimAsync(task);

        private PostgreSqlFleet Open() => database.Open($"machine-{Interlocked.Increment(ref _machines)}");
    }
}

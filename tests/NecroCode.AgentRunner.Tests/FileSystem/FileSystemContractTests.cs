using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Testing.Contracts;

namespace NecroCode.AgentRunner.Tests.FileSystem;

/// <summary>The file-system providers keep the contracts every provider keeps; each case gets a folder of its own.</summary>
[TestFixture]
public sealed class FileSystemContractTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [TestCaseSource(typeof(TaskRegistryContract), nameof(TaskRegistryContract.Cases))]
    public Task FileSystemTaskRegistry_KeepsTheRegistryContract(ContractCase<ITaskRegistryContractSubject> contractCase) =>
        contractCase.RunAsync(new FileSystemSubject(_dir.Path), CancellationToken.None);

    [TestCaseSource(typeof(TaskQueueContract), nameof(TaskQueueContract.Cases))]
    public Task FileSystemTaskQueue_KeepsTheQueueContract(ContractCase<ITaskQueueContractSubject> contractCase) =>
        contractCase.RunAsync(new FileSystemSubject(_dir.Path), CancellationToken.None);

    [TestCaseSource(typeof(BranchLockContract), nameof(BranchLockContract.Cases))]
    public Task FileSystemBranchLocks_KeepTheBranchLockContract(ContractCase<IBranchLockContractSubject> contractCase) =>
        contractCase.RunAsync(new FileSystemSubject(_dir.Path), CancellationToken.None);

    /// <summary>
    /// Every client is a new instance over the same folder, as another runner process would open it. A claim lapses
    /// when its holder's registration goes (as when an operator removes a dead machine's runner).
    /// </summary>
    internal sealed class FileSystemSubject(string root) : ITaskQueueContractSubject, IBranchLockContractSubject
    {
        private readonly IOptions<FileSystemOptions> _options = Options.Create(new FileSystemOptions { RootPath = root });

        public ITaskRegistry OpenRegistry() => Registry();

        public ITaskQueue OpenQueue() =>
            new FileSystemTaskQueue(Registry(), TimeProvider.System, NullLogger<FileSystemTaskQueue>.Instance);

        public IBranchLock OpenBranchLock() => new FileSystemBranchLocks(_options, TimeProvider.System, NullLogger<FileSystemBranchLocks>.Instance);

        private FileSystemTaskRegistry Registry() => new(_options, TimeProvider.System, NullLogger<FileSystemTaskRegistry>.Instance);

        public Task LapseClaimAsync(TaskKey task, string runnerId, CancellationToken cancellationToken) =>
            OpenRegistry().UnregisterRunnerAsync(runnerId, cancellationToken);
    }
}

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
[Category("Integration")]
public sealed partial class GitWorkspaceManagerTests
{
    private const string Branch = "feature/task-spec-1";
    private GitTestRepository _repo = null!;
    private RecordingEventSink _events = null!;
    private ScriptedTransport _transport = null!;
    private FakeTimeProvider _time = null!;
    private List<string> _tokenVariables = null!;

    [SetUp]
    public async Task SetUp()
    {
        _repo = await GitTestRepository.CreateAsync();
        _events = new RecordingEventSink();
        _transport = new ScriptedTransport();
        _tokenVariables = [];
        _time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var variable in _tokenVariables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        _repo.Dispose();
    }

    private GitWorkspaceManager CreateManager(Action<GitOptions>? configure = null, IGitTransport? transport = null, TimeProvider? time = null)
    {
        var options = new GitOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(1) };
        configure?.Invoke(options);
        return new GitWorkspaceManager(
            Options.Create(new AgentRunnerOptions()), Options.Create(options), time ?? TimeProvider.System, logger: null, transport ?? _transport);
    }

    private Task<PreparedWorkspace> PrepareAsync(GitWorkspaceManager manager, string branch = Branch) =>
        manager.PrepareAsync(new WorkspaceRequest(_repo.Slot, branch, new TaskKey("spec", "1"), _events), CancellationToken.None);

    private async Task AssertCleanOnTaskBranchAsync(PreparedWorkspace prepared, string branch = Branch)
    {
        var originMain = await _repo.OriginAsync("rev-parse", "main");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prepared.BaseCommit, Is.EqualTo(originMain));
            Assert.That(prepared.Branch, Is.EqualTo(branch));
            Assert.That(await _repo.SlotAsync("symbolic-ref", "--short", "HEAD"), Is.EqualTo(branch));
            Assert.That(await _repo.SlotAsync("rev-parse", "HEAD"), Is.EqualTo(originMain));
            Assert.That(await _repo.SlotAsync("rev-parse", "refs/heads/main"), Is.EqualTo(originMain));
            Assert.That(await _repo.SlotStatusAsync(), Is.Empty);
            Assert.That(Directory.EnumerateFiles(Path.Combine(_repo.Slot, ".git"), "*.lock", SearchOption.AllDirectories), Is.Empty);
        }
    }
}

using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Git.Tests;

public sealed partial class GitWorkspaceManagerTests
{
    /// <summary>
    /// A manager whose git is a script that logs each start (its arguments after the fixed safety options) and then
    /// runs the real git; fetch and push go through the same git.
    /// </summary>
    private (GitWorkspaceManager Manager, Func<IReadOnlyList<string>> Started) CreateCountingManager()
    {
        var log = Path.Combine(_repo.Root, "git-starts.log");
        var script = Path.Combine(_repo.Root, "counting-git.sh");
        File.WriteAllText(script, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nexec git \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var manager = new GitWorkspaceManager(
            Options.Create(new AgentRunnerOptions()),
            Options.Create(new GitOptions { GitExecutable = script, RetryBaseDelay = TimeSpan.FromMilliseconds(1) }),
            TimeProvider.System,
            logger: null,
            transport: null);
        return (manager, () => File.Exists(log) ? [.. File.ReadAllLines(log).Select(Subcommand)] : []);

        // "-c core.hooksPath=/dev/null -c … status --porcelain=v2 …" → "status"
        static string Subcommand(string line)
        {
            var words = line.Split(' ');
            var i = 0;
            while (i + 1 < words.Length && words[i] == "-c")
            {
                i += 2;
            }

            return words[i];
        }
    }

    /// <summary>What a task's run asks of the manager on a used, clean slot: prepare, the implement and commit steps' diffs, commit, push.</summary>
    private async Task<string> RunTrivialTaskAsync(GitWorkspaceManager manager, string branch, string file)
    {
        var prepared = await PrepareAsync(manager, branch);
        GitTestRepository.Write(_repo.Slot, file, "written by the agent\n");
        await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);
        var diff = await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);
        var commit = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg") { BaseCommit = prepared.BaseCommit, Diff = diff }, CancellationToken.None);
        await manager.PushAsync(new PushRequest(_repo.Slot, branch, _events), CancellationToken.None);
        return commit;
    }

    [Test]
    public async Task TrivialTaskOnCleanSlot_StartsFourteenGitProcesses()
    {
        var (manager, started) = CreateCountingManager();
        await RunTrivialTaskAsync(manager, "feature/task-spec-0", "first.txt");
        File.Delete(Path.Combine(_repo.Root, "git-starts.log"));

        await RunTrivialTaskAsync(manager, Branch, "second.txt");

        // Prepare: one configuration listing (reused as the snapshot), fetch, status, checkout, clean (no index-flag
        // listing: the index is read in process); two diffs of three each; the commit without a second add; the
        // push's configuration check and push.
        Assert.That(started(), Is.EqualTo(new[]
        {
            "config", "fetch", "status", "checkout", "clean",
            "add", "diff", "diff",
            "add", "diff", "diff",
            "commit",
            "config", "push",
        }).AsCollection.Or.EqualTo(new[]
        {
            // The fetch and the status scan run side by side: either may log first.
            "config", "status", "fetch", "checkout", "clean",
            "add", "diff", "diff",
            "add", "diff", "diff",
            "commit",
            "config", "push",
        }).AsCollection);
    }

    [Test]
    public async Task CommitAsync_WithTheDiffJustTaken_CommitsExactlyThatDiff()
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        File.Delete(Path.Combine(_repo.Slot, "delete.txt"));
        var diff = await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);

        var commit = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg") { BaseCommit = prepared.BaseCommit, Diff = diff }, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.SlotAsync("diff", "--name-status", prepared.BaseCommit, commit), Is.EqualTo("D\tdelete.txt\nA\tfeature.txt"));
            Assert.That(await _repo.SlotStatusAsync(), Is.Empty);
            Assert.That(File.Exists(Path.Combine(_repo.Slot, ".git", "index.lock")), Is.False);
        }
    }

    [TestCase("the slot's index changed")]
    [TestCase("a later diff was taken")]
    public async Task CommitAsync_DiffNoLongerCurrent_StagesTheWorkingTreeAgain(string since)
    {
        var manager = CreateManager();
        var prepared = await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        var diff = await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);
        GitTestRepository.Write(_repo.Slot, "later.txt", "written after the diff\n");
        if (since == "a later diff was taken")
        {
            await manager.GetDiffAsync(_repo.Slot, prepared.BaseCommit, CancellationToken.None);
        }
        else
        {
            await _repo.SlotAsync("add", "later.txt");
        }

        var commit = await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg") { BaseCommit = prepared.BaseCommit, Diff = diff }, CancellationToken.None);

        Assert.That(await _repo.SlotAsync("diff", "--name-only", prepared.BaseCommit, commit), Is.EqualTo("feature.txt\nlater.txt"));
    }

    [Test]
    public async Task PrepareAsync_SlotChangedBetweenRuns_EverythingRecoveredAndReported()
    {
        var (manager, _) = CreateCountingManager();
        await RunTrivialTaskAsync(manager, "feature/task-spec-0", "first.txt");

        // Between the runs: a tracked file edited, untracked files in a new folder, a stale lock, another branch checked
        // out, an index in format 4 with a skip-worktree flag.
        await _repo.SlotAsync("checkout", "-q", "-b", "someone-elses");
        GitTestRepository.Write(_repo.Slot, "src/app.txt", "edited between runs\n");
        GitTestRepository.Write(_repo.Slot, "notes/deep/one.txt", "one\n");
        GitTestRepository.Write(_repo.Slot, "notes/deep/two.txt", "two\n");
        await _repo.SlotAsync("update-index", "--index-version", "4");
        await _repo.SlotAsync("update-index", "--skip-worktree", "README.md");
        File.WriteAllText(Path.Combine(_repo.Slot, ".git", "index.lock"), "");

        var prepared = await PrepareAsync(manager);

        await AssertCleanOnTaskBranchAsync(prepared);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _repo.SlotAsync("ls-files", "-v", "-t", "README.md"), Does.StartWith("H "));
            Assert.That(_events.Warnings, Has.Some.Contains(".git/index.lock"));
            Assert.That(_events.Warnings, Has.Some.Contains("'someone-elses'"));
            Assert.That(_events.Warnings, Has.Some.Contains("1 modified file").And.Contains("2 untracked files"));
            Assert.That(_events.Warnings, Has.Some.Contains("skip-worktree or assume-unchanged flag of 1 file"));
        }
    }

    [Test]
    public async Task PrepareAsync_IncludePlantedInSlotConfiguration_RemovedAndThePushIsNotRefused()
    {
        // The sanitizing removed a key, so its listing is not taken as the snapshot: the snapshot is listed after the
        // checkout, and the push compares against the configuration as the preparation left it.
        await _repo.SlotAsync("config", "--local", "include.path", "../extra.config");
        var manager = CreateManager();
        await PrepareAsync(manager);
        GitTestRepository.Write(_repo.Slot, "feature.txt", "done\n");
        await manager.CommitAsync(new CommitRequest(_repo.Slot, "msg"), CancellationToken.None);

        var result = await manager.PushAsync(new PushRequest(_repo.Slot, Branch, _events), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Succeeded, Is.True);
            Assert.That(_events.Warnings, Has.One.Contains("include.path"));
        }
    }
}

namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
public sealed class BranchGuardTests
{
    private static readonly BranchGuard Guard = new("trunk", ["main", "master", "release/*", "hotfix/**", "keep-?"]);

    [TestCase("feature/task-spec-1")]
    [TestCase("release")]
    [TestCase("release-notes")]
    [TestCase("feature/main")]
    [TestCase("keep-it")]
    public void EnsurePushable_TaskBranch_Passes(string branch) =>
        Assert.DoesNotThrow(() => Guard.EnsurePushable(branch));

    [TestCase("trunk", "main branch")]
    [TestCase("TRUNK", "main branch")]
    [TestCase("Trunk", "main branch")]
    [TestCase("main", "'main'")]
    [TestCase("MASTER", "'master'")]
    [TestCase("release/1.0", "'release/*'")]
    [TestCase("hotfix/a/b", "'hotfix/**'")]
    [TestCase("keep-1", "'keep-?'")]
    [TestCase("HEAD", "plain branch name")]
    [TestCase("HEAD:main", "plain branch name")]
    [TestCase("+refs/heads/*", "plain branch name")]
    [TestCase("+feature", "plain branch name")]
    [TestCase("refs/heads/feature", "plain branch name")]
    [TestCase("a..b", "plain branch name")]
    [TestCase("", "plain branch name")]
    public void EnsurePushable_ForbiddenBranch_RefusesWithReason(string branch, string reason)
    {
        var exception = Assert.Throws<PushRefusedException>(() => Guard.EnsurePushable(branch));

        Assert.That(exception!.Message, Does.Contain(reason));
    }

    [TestCase("MAIN")]
    [TestCase("Main")]
    public void EnsurePushable_MainBranchInOtherCaseWithoutPatterns_Refuses(string branch)
    {
        var guard = new BranchGuard("main", []);

        var exception = Assert.Throws<PushRefusedException>(() => guard.EnsurePushable(branch));

        Assert.That(exception!.Message, Does.Contain("main branch"));
    }
}

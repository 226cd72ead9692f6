namespace NecroCode.AgentRunner.Git.Tests;

[TestFixture]
[NonParallelizable] // sets variables of this process
public sealed class GitCliTests
{
    private static readonly string[] Planted =
    [
        "GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0", "GIT_CONFIG_KEY_1", "GIT_CONFIG_VALUE_1", "GIT_CONFIG_PARAMETERS",
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_PROXY_COMMAND",
        "GIT_EXTERNAL_DIFF", "GIT_TRACE", "GIT_TRACE_CURL",
    ];

    private GitTestRepository _repo = null!;

    [SetUp]
    public async Task SetUp() => _repo = await GitTestRepository.CreateAsync();

    [TearDown]
    public void TearDown()
    {
        foreach (var name in Planted)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        _repo.Dispose();
    }

    [Test]
    public async Task RunAsync_HostHasRedirectingGitVariables_GitSeesNoneOfThem()
    {
        Environment.SetEnvironmentVariable("GIT_CONFIG_COUNT", "2");
        Environment.SetEnvironmentVariable("GIT_CONFIG_KEY_0", "user.name");
        Environment.SetEnvironmentVariable("GIT_CONFIG_VALUE_0", "planted-name");
        Environment.SetEnvironmentVariable("GIT_CONFIG_KEY_1", "url.http://planted.invalid/.insteadOf");
        Environment.SetEnvironmentVariable("GIT_CONFIG_VALUE_1", "planted-url");
        Environment.SetEnvironmentVariable("GIT_CONFIG_PARAMETERS", "'user.email'='planted@example.com'");
        Environment.SetEnvironmentVariable("GIT_DIR", Path.Combine(_repo.Root, "planted-git-dir"));
        Environment.SetEnvironmentVariable("GIT_WORK_TREE", Path.Combine(_repo.Root, "planted-work-tree"));
        Environment.SetEnvironmentVariable("GIT_INDEX_FILE", Path.Combine(_repo.Root, "planted-index"));
        foreach (var name in (string[])["GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF"])
        {
            Environment.SetEnvironmentVariable(name, "/planted/" + name.ToLowerInvariant());
        }

        Environment.SetEnvironmentVariable("GIT_TRACE", "1");
        Environment.SetEnvironmentVariable("GIT_TRACE_CURL", "1");
        var git = new GitCli("git");

        // A shell alias prints the environment git hands its children.
        var result = await git.RunCheckedAsync(_repo.Slot, ["-c", "alias.show-env=!env", "show-env"], TimeSpan.FromMinutes(1), CancellationToken.None);
        var config = await git.RunCheckedAsync(_repo.Slot, ["config", "--list"], TimeSpan.FromMinutes(1), CancellationToken.None);

        var environment = result.StandardOutput;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(environment, Does.Not.Contain("planted"));
            Assert.That(environment.Split('\n'), Has.None.StartsWith("GIT_CONFIG_KEY_").And.None.StartsWith("GIT_TRACE").And.None.StartsWith("GIT_SSH"));
            Assert.That(config.StandardOutput, Does.Not.Contain("planted"));
            Assert.That(config.StandardOutput, Does.Contain("remote.origin.url=" + _repo.Origin));
            Assert.That(result.StandardError, Is.Empty);
        }
    }
}

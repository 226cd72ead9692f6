using NecroCode.AgentRunner.Prompts;

namespace NecroCode.AgentRunner.Tests.Prompts;

[TestFixture]
public sealed partial class DefaultPromptBuilderTests
{
    private static readonly TaskContext Task = new()
    {
        TaskId = "2.1",
        SpecName = "user-auth",
        Title = "Add password hashing",
        Description = "Hash passwords before storing them.",
        AcceptanceCriteria = ["No plain-text passwords", "Old users can log in"],
        Dependencies = [new TaskDependency("1.1", "User model", "feature/task-user-auth-1.1", "abc123", "Added the User entity.")],
        RequiredSkill = "backend",
        TestCommands = ["dotnet test"],
    };

    [Test]
    public void Build_FirstAttempt_MatchesGoldenPrompt()
    {
        var prompt = new DefaultPromptBuilder().Build(new PromptRequest(Task, "/ws", Task.TestCommands));

        var golden = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Prompts", "Golden", "first-attempt.md"));
        Assert.That(prompt.ReplaceLineEndings("\n"), Is.EqualTo(golden.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Build_SameInput_SameText()
    {
        var builder = new DefaultPromptBuilder();
        var request = new PromptRequest(Task, "/ws", Task.TestCommands);

        var first = builder.Build(request);
        var second = builder.Build(request);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Build_FixAttempt_MatchesGoldenPrompt()
    {
        var failure = "$ dotnet test\nFailed HashTests.Hash_SamePassword_DifferentSalt [12 ms]\n  Expected salts to differ.";

        var prompt = new DefaultPromptBuilder().Build(new PromptRequest(Task, "/ws", Task.TestCommands, 2, failure));

        var golden = File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Prompts", "Golden", "fix-attempt.md"));
        Assert.That(prompt.ReplaceLineEndings("\n"), Is.EqualTo(golden.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Build_FixAttempt_IncludesFailingOutput()
    {
        var prompt = new DefaultPromptBuilder().Build(new PromptRequest(Task, "/ws", Task.TestCommands, 2, "FAIL test_hash"));

        Assert.That(prompt, Does.Contain("## Attempt 2: the tests failed").And.Contain("FAIL test_hash"));
    }
}

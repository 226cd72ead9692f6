using NecroCode.AgentRunner;

namespace NecroCode.AgentRunner.Abstractions.Tests;

[TestFixture]
public sealed class TaskContextValidatorTests
{
    private static TaskContext Valid => new() { TaskId = "1.2", SpecName = "user-auth", Title = "Add login" };

    [Test]
    public void Validate_ValidTask_NoErrors()
    {
        Assert.That(TaskContextValidator.Validate(Valid), Is.Empty);
    }

    [Test]
    public void ThrowIfInvalid_FiveBadFields_OneExceptionNamingAllFive()
    {
        var task = Valid with
        {
            TaskId = "",
            SpecName = "../escape",
            Title = " ",
            Timeout = TimeSpan.Zero,
            TestCommands = ["dotnet test", ""],
        };

        var ex = Assert.Throws<TaskValidationException>(() => TaskContextValidator.ThrowIfInvalid(task));

        Assert.That(ex!.Errors.Select(e => e.Field), Is.EquivalentTo(new[] { "taskId", "specName", "title", "timeout", "testCommands[1]" }));
        foreach (var field in new[] { "taskId", "specName", "title", "timeout", "testCommands[1]" })
        {
            Assert.That(ex.Message, Does.Contain(field));
        }
    }

    [Test]
    public void Validate_BaseBranchWithCommit_Accepted()
    {
        Assert.That(TaskContextValidator.Validate(Valid with { BaseBranch = "feature/task-user-auth-1.1", BaseCommit = "0123abc" }), Is.Empty);
    }

    [TestCase("feature/task-1", null, "baseCommit", "given together")]
    [TestCase(null, "0123abc", "baseBranch", "given together")]
    [TestCase("feature/task-1", "main", "baseCommit", "is not a commit id")]
    [TestCase("bad..branch", "0123abc", "baseBranch", "is not a valid git branch name")]
    public void Validate_BadBase_NamesTheField(string? branch, string? commit, string field, string message)
    {
        var errors = TaskContextValidator.Validate(Valid with { BaseBranch = branch, BaseCommit = commit });

        Assert.That(errors, Has.Some.Matches<TaskValidationError>(e => e.Field == field && e.Message.Contains(message, StringComparison.Ordinal)));
    }

    [TestCase("feature/ok")]
    [TestCase("task-1.2")]
    public void Validate_GoodBranchName_Accepted(string branch)
    {
        Assert.That(TaskContextValidator.Validate(Valid with { BranchName = branch }), Is.Empty);
    }

    [TestCase("main..x")]
    [TestCase("has space")]
    [TestCase("ends.lock")]
    [TestCase("-leading")]
    [TestCase("a:b")]
    [TestCase("refs/heads/x")]
    public void Validate_BadBranchName_Refused(string branch)
    {
        var errors = TaskContextValidator.Validate(Valid with { BranchName = branch });

        Assert.That(errors.Single().Field, Is.EqualTo("branchName"));
    }

    [Test]
    public void Validate_RelativeSlotPath_Refused()
    {
        var errors = TaskContextValidator.Validate(Valid with { SlotPath = "slots/1" });

        Assert.That(errors.Single().Field, Is.EqualTo("slotPath"));
    }

    [Test]
    public void Validate_DependencyWithoutId_NamesItsIndex()
    {
        var errors = TaskContextValidator.Validate(Valid with { Dependencies = [new TaskDependency("1.1"), new TaskDependency(" ")] });

        Assert.That(errors.Single().Field, Is.EqualTo("dependencies[1].taskId"));
    }

    [Test]
    public void Validate_TitleWithNewline_Refused()
    {
        var errors = TaskContextValidator.Validate(Valid with { Title = "one\ntwo" });

        Assert.That(errors.Single().Field, Is.EqualTo("title"));
    }
}

using NecroCode.AgentRunner;

namespace NecroCode.AgentRunner.Abstractions.Tests;

/// <summary>Type problems and names in task documents: every one reported by path with the expected form.</summary>
public sealed partial class AgentRunnerJsonTests
{
    [Test]
    public void ParseTask_WrongTypes_EachReportedByPathWithTheExpectedForm()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("""{ "taskId": 12, "specName": "s", "title": ["x"], "timeout": "abc", "failFast": "yes", "testCommands": ["ok", 3] }"""));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Errors.Select(e => e.ToString()), Is.EquivalentTo(new[]
            {
                "taskId: expected a string, got a number.",
                "title: expected a string, got a list.",
                "timeout: expected [d.]hh:mm:ss, got 'abc'.",
                "failFast: expected true or false, got 'yes'.",
                "testCommands[1]: expected a string, got a number.",
            }));
            Assert.That(ex.Message, Does.Not.Contain("could not be converted"));
        });
    }

    [Test]
    public void ParseTask_TypeAndValidationProblems_ReportedTogetherOncePerField()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("""{ "taskId": 1, "specName": "../x", "title": "t", "metadata": { "owner": { "name": "x" } } }"""));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Errors.Select(e => e.Field), Is.EquivalentTo(new[] { "taskId", "specName", "metadata.owner" }));
            Assert.That(ex.Errors.Single(e => e.Field == "metadata.owner").Message, Is.EqualTo("expected a string, number or boolean, got an object."));
        });
    }

    [Test]
    public void ParseTask_WronglyCasedName_RefusedAsUnknownNamingIt()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("""{ "taskId": "1", "TaskId": "2", "specName": "s", "title": "t" }"""));

        Assert.That(ex!.Errors.Single(), Is.EqualTo(new TaskValidationError("TaskId", "is not a field; names are case-sensitive: did you mean 'taskId'?")));
    }

    [Test]
    public void ParseTask_DependencyWithWrongTypeAndUnknownField_NamedByPath()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("""{ "taskId": "1", "specName": "s", "title": "t", "dependencies": [ { "taskId": 7, "branchName": "x" } ] }"""));

        Assert.That(ex!.Errors.Select(e => e.Field), Is.EquivalentTo(new[] { "dependencies[0].taskId", "dependencies[0].branchName" }));
    }

    [Test]
    public void ParseTask_NotAnObject_ReportsTheDocument()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("[1]"));

        Assert.That(ex!.Errors.Single().ToString(), Is.EqualTo("$: expected an object (the task), got a list."));
    }

    [Test]
    public void ParseTask_DuplicateField_Refused()
    {
        var ex = Assert.Throws<TaskValidationException>(() => AgentRunnerJson.ParseTask("""{ "taskId": "1", "taskId": "2", "specName": "s", "title": "t" }"""));

        Assert.That(ex!.Errors.Single().Field, Is.EqualTo("$"));
    }
}

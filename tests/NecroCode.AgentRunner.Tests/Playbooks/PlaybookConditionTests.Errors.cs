using NecroCode.AgentRunner.Playbooks;
namespace NecroCode.AgentRunner.Tests.Playbooks;

public sealed partial class PlaybookConditionTests
{
    [TestCase("", "the condition is empty", "")]
    [TestCase("   ", "the condition is empty", "")]
    [TestCase("a = b", "unexpected '=' at column 3", "=")]
    [TestCase("true & false", "unexpected '&' at column 6", "&")]
    [TestCase("true | false", "unexpected '|' at column 6", "|")]
    [TestCase("'open", "the string starting at column 1 is not closed", "'open")]
    [TestCase("1.2.3 == 1", "'1.2.3' at column 1 is not a number", "1.2.3")]
    [TestCase("12abc", "'12abc' at column 1 is not a number", "12abc")]
    [TestCase("true == #", "unexpected character '#' at column 9", "#")]
    [TestCase("(true", "expected ')' at column 6, found the end of the expression", "")]
    [TestCase("true)", "expected an operator or the end of the expression at column 5, found ')'", ")")]
    [TestCase("true &&", "expected a value", "")]
    [TestCase("== 1", "expected a value", "==")]
    [TestCase("1 == 2 == 3", "comparisons do not chain", "==")]
    [TestCase("foo", "unknown name 'foo'", "foo")]
    [TestCase("env.HOME == 'x'", "environment variables are not available to conditions", "env")]
    [TestCase("task", "'task' needs a field", "task")]
    [TestCase("task.colour", "unknown task field 'colour'", "colour")]
    [TestCase("task.title.length", "task.title has no fields", "length")]
    [TestCase("task.metadata", "task.metadata needs exactly one key", "metadata")]
    [TestCase("task.metadata.a.b", "task.metadata needs exactly one key", "metadata")]
    [TestCase("vars", "variables are read as vars.<name>", "vars")]
    [TestCase("vars.a.b", "variables are read as vars.<name>", "b")]
    [TestCase("steps.build", "step outcomes are read as steps.<name>.outcome", "steps")]
    [TestCase("steps.build.result", "step outcomes are read as steps.<name>.outcome", "result")]
    [TestCase("task.", "expected a name after '.'", "")]
    [TestCase("nope()", "unknown function 'nope'", "nope")]
    [TestCase("contains('a')", "contains() at column 1 takes 2 arguments, not 1", "contains")]
    [TestCase("success(1)", "success() at column 1 takes 0 arguments, not 1", "success")]
    [TestCase("exists('/etc/passwd')", "is not relative to the workspace", "'/etc/passwd'")]
    [TestCase("exists('../x')", "leads outside the workspace", "'../x'")]
    [TestCase("exists('a/../../x')", "leads outside the workspace", "'a/../../x'")]
    [TestCase("exists('')", "the path is empty", "''")]
    [TestCase("contains('a', 'b',)", "expected a value", ")")]
    public void Parse_BadCondition_NamesTheProblemAndToken(string text, string message, string token)
    {
        var ex = Assert.Throws<PlaybookException>(() => PlaybookCondition.Parse(text));

        Assert.That(ex!.Errors, Has.Count.EqualTo(1));
        Assert.That(ex.Errors[0].Message, Does.Contain(message));
        Assert.That(ex.Errors[0].Message, Does.Contain($"(offending token '{token}')"));
    }

    [Test]
    public void Parse_TooLong_IsRefused()
    {
        var text = string.Join(" && ", Enumerable.Repeat("true", 1000));

        var ex = Assert.Throws<PlaybookException>(() => PlaybookCondition.Parse(text));

        Assert.That(ex!.Errors[0].Message, Does.Contain("at most 4096 are allowed"));
    }

    [TestCase("(", 65)]
    [TestCase("!", 65)]
    [TestCase("contains(", 65)]
    public void Parse_TooDeep_IsRefused(string opener, int count)
    {
        var text = string.Concat(Enumerable.Repeat(opener, count)) + "true";

        var ex = Assert.Throws<PlaybookException>(() => PlaybookCondition.Parse(text));

        Assert.That(ex!.Errors[0].Message, Does.Contain("nests deeper than 64 levels"));
    }

    [Test]
    public void Parse_DeepButWithinLimit_Evaluates()
    {
        var text = new string('(', 60) + "true" + new string(')', 60);

        Assert.That(PlaybookCondition.Parse(text).Evaluate(Context()), Is.True);
    }

    [Test]
    public void Parse_ErrorColumn_PointsAtTheToken()
    {
        var ex = Assert.Throws<PlaybookException>(() => PlaybookCondition.Parse("task.taskId == 'a' && ) "));

        Assert.That(ex!.Errors[0].Message, Does.Contain("at column 23, found ')'"));
    }
}

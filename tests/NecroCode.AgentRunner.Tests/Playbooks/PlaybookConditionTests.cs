using NecroCode.AgentRunner.Playbooks;
namespace NecroCode.AgentRunner.Tests.Playbooks;

[TestFixture]
public sealed partial class PlaybookConditionTests
{
    private static ConditionContext Context(string? workspace = null, bool failed = false)
    {
        var task = new TaskContext
        {
            TaskId = "1.2",
            SpecName = "user-auth",
            Title = "Add Login",
            Description = "Build the login form",
            RequiredSkill = "backend",
            BranchName = "feature/login",
            FailFast = true,
            Metadata = new Dictionary<string, string> { ["language"] = "csharp", ["priority"] = "5", ["kind"] = "tests-only", ["empty"] = "" },
        };
        var context = new ConditionContext(task, new Dictionary<string, string> { ["mode"] = "Release", ["retries"] = "3", ["dry-run"] = "false" })
        {
            WorkspacePath = workspace,
        };
        context.RecordOutcome("build", StepOutcome.Succeeded);
        context.RecordOutcome("lint", StepOutcome.Failed, continueOnError: true);
        if (failed)
        {
            context.RecordOutcome("test", StepOutcome.Failed);
        }

        return context;
    }

    [TestCase("true", true)]
    [TestCase("false", false)]
    [TestCase("null", false)]
    [TestCase("0", false)]
    [TestCase("1", true)]
    [TestCase("-2.5", true)]
    [TestCase("''", false)]
    [TestCase("'x'", true)]
    [TestCase("\"x\"", true)]
    [TestCase("'it''s' == \"it's\"", true)]
    [TestCase("\"say \"\"hi\"\"\" == 'say \"hi\"'", true)]
    public void Evaluate_Literals_Truthiness(string text, bool expected) =>
        Assert.That(PlaybookCondition.Parse(text).Evaluate(Context()), Is.EqualTo(expected));

    [TestCase("task.taskId == '1.2'", true)]
    [TestCase("task.specName == 'user-auth'", true)]
    [TestCase("task.title == 'add login'", true)]
    [TestCase("task.description == 'Build the login form'", true)]
    [TestCase("task.requiredSkill == 'backend'", true)]
    [TestCase("task.skill == 'backend'", true)]
    [TestCase("task.branchName == 'feature/login'", true)]
    [TestCase("task.failFast", true)]
    [TestCase("task.failFast == true", true)]
    [TestCase("task.failFast == 'true'", true)]
    [TestCase("task.TASKID == '1.2'", true)]
    [TestCase("task.metadata.language == 'csharp'", true)]
    [TestCase("task.metadata.LANGUAGE == 'CSharp'", true)]
    [TestCase("task.metadata.missing == null", true)]
    [TestCase("task.metadata.missing", false)]
    [TestCase("task.metadata.empty", false)]
    [TestCase("task.metadata.empty == ''", true)]
    [TestCase("task.metadata.empty == null", false)]
    [TestCase("vars.mode == 'release'", true)]
    [TestCase("vars.dry-run == 'false'", true)]
    [TestCase("vars.dry-run == false", true)]
    [TestCase("steps.build.outcome == 'succeeded'", true)]
    [TestCase("steps.lint.outcome == 'failed'", true)]
    [TestCase("steps.test.outcome == null", true)]
    public void Evaluate_Operands_ReadTheContext(string text, bool expected) =>
        Assert.That(PlaybookCondition.Parse(text).Evaluate(Context()), Is.EqualTo(expected));

    [TestCase("1 == 1.0", true)]
    [TestCase("'1.0' == 1", true)]
    [TestCase("task.metadata.priority > 3", true)]
    [TestCase("task.metadata.priority > 10", false)]
    [TestCase("task.metadata.priority >= 5", true)]
    [TestCase("task.metadata.priority < 10", true)]
    [TestCase("task.metadata.priority <= 4", false)]
    [TestCase("task.metadata.priority != 5", false)]
    [TestCase("'10' > '9'", true)]
    [TestCase("'b' > 'a'", true)]
    [TestCase("'B' > 'a'", true)]
    [TestCase("'abc' == 'ABC'", true)]
    [TestCase("'abc' != 'ABD'", true)]
    [TestCase("'a' < 'b'", true)]
    [TestCase("'a' <= 'A'", true)]
    [TestCase("'a' >= 'b'", false)]
    [TestCase("null == null", true)]
    [TestCase("null != 0", true)]
    [TestCase("null < 1", false)]
    [TestCase("null >= null", false)]
    [TestCase("true == 'TRUE'", true)]
    [TestCase("'1e3' == 1000", false)]
    [TestCase("'NaN' == 'nan'", true)]
    public void Evaluate_Comparisons_FollowTheDocumentedRules(string text, bool expected) =>
        Assert.That(PlaybookCondition.Parse(text).Evaluate(Context()), Is.EqualTo(expected));

    [TestCase("true && true", true)]
    [TestCase("true && false", false)]
    [TestCase("false || true", true)]
    [TestCase("false || false", false)]
    [TestCase("!false", true)]
    [TestCase("!!true", true)]
    [TestCase("!'x'", false)]
    [TestCase("true || false && false", true)]
    [TestCase("(true || false) && false", false)]
    [TestCase("!(1 == 2) && 'a' == 'a'", true)]
    [TestCase("!task.metadata.missing", true)]
    public void Evaluate_LogicalOperators_HaveUsualPrecedence(string text, bool expected) =>
        Assert.That(PlaybookCondition.Parse(text).Evaluate(Context()), Is.EqualTo(expected));

    [TestCase("contains(task.title, 'login')", true)]
    [TestCase("contains(task.title, 'logout')", false)]
    [TestCase("contains('', '')", true)]
    [TestCase("contains(task.metadata.missing, 'x')", false)]
    [TestCase("startsWith(task.branchName, 'FEATURE/')", true)]
    [TestCase("startsWith(task.branchName, 'fix/')", false)]
    [TestCase("endsWith(task.specName, '-auth')", true)]
    [TestCase("endsWith(task.specName, 'user')", false)]
    [TestCase("STARTSWITH('abc', 'a')", true)]
    [TestCase("success()", true)]
    [TestCase("failure()", false)]
    [TestCase("always()", true)]
    public void Evaluate_Functions_Work(string text, bool expected) =>
        Assert.That(PlaybookCondition.Parse(text).Evaluate(Context()), Is.EqualTo(expected));

    [Test]
    public void Evaluate_AfterAFailure_StatusFunctionsFlip()
    {
        var context = Context(failed: true);

        Assert.Multiple(() =>
        {
            Assert.That(PlaybookCondition.Parse("success()").Evaluate(context), Is.False);
            Assert.That(PlaybookCondition.Parse("failure()").Evaluate(context), Is.True);
            Assert.That(PlaybookCondition.Parse("always()").Evaluate(context), Is.True);
        });
    }

    [Test]
    public void Evaluate_Exists_LooksInTheWorkspace()
    {
        using var files = new TempFolder();
        var workspace = files.CreateFolder("ws");
        files.WriteFile("ws/package.json", "{}");
        files.CreateFolder("ws/src/app");
        var context = Context(workspace);

        Assert.Multiple(() =>
        {
            Assert.That(PlaybookCondition.Parse("exists('package.json')").Evaluate(context), Is.True);
            Assert.That(PlaybookCondition.Parse("exists('src/app')").Evaluate(context), Is.True);
            Assert.That(PlaybookCondition.Parse("exists('./src/../package.json')").Evaluate(context), Is.True);
            Assert.That(PlaybookCondition.Parse("exists('go.mod')").Evaluate(context), Is.False);
        });
    }

    [Test]
    public void Evaluate_ExistsWithoutWorkspace_IsFalse() =>
        Assert.That(PlaybookCondition.Parse("exists('package.json')").Evaluate(Context(workspace: null)), Is.False);

    [Test]
    public void Evaluate_ExistsThroughALinkOutOfTheWorkspace_Throws()
    {
        using var files = new TempFolder();
        var workspace = files.CreateFolder("ws");
        files.WriteFile("outside/secret.txt", "s");
        File.CreateSymbolicLink(Path.Combine(workspace, "escape"), Path.Combine(files.Path, "outside"));

        var ex = Assert.Throws<PlaybookException>(() => PlaybookCondition.Parse("exists('escape/secret.txt')").Evaluate(Context(workspace)));

        Assert.That(ex!.Errors[0].Message, Does.Contain("outside the workspace"));
    }

    [Test]
    public void Evaluate_ExistsOfAVariableLeavingTheWorkspace_Throws()
    {
        var task = new TaskContext { TaskId = "1", SpecName = "s", Title = "t" };
        var context = new ConditionContext(task, new Dictionary<string, string> { ["p"] = "../x" }) { WorkspacePath = Path.GetTempPath() };

        var ex = Assert.Throws<PlaybookException>(() => PlaybookCondition.Parse("exists(vars.p)").Evaluate(context));

        Assert.That(ex!.Errors[0].Message, Does.Contain("'../x' leads outside the workspace"));
    }

    [TestCase("success()", true)]
    [TestCase("failure() || task.failFast", true)]
    [TestCase("always()", true)]
    [TestCase("task.failFast", false)]
    [TestCase("'success()' == 'x'", false)]
    public void Parse_StatusFunction_IsDetected(string text, bool expected) =>
        Assert.That(PlaybookCondition.Parse(text).UsesStatusFunction, Is.EqualTo(expected));
}

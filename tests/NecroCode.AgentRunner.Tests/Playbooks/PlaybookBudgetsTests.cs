using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Tests.Playbooks;

[TestFixture]
public sealed class PlaybookBudgetsTests
{
    [Test]
    public void Parse_Budgets_ReadPerAttemptAndPerTask()
    {
        const string Yaml = """
            extends: default
            budgets:
              attempt:
                wall-time: 10m
                turns: 40
                output-tokens: 20000
              task:
                input-tokens: 500000
                cost-usd: 2.50
            """;

        var playbook = PlaybookLoader.Parse(Yaml, "budgets.yaml");

        Assert.Multiple(() =>
        {
            Assert.That(playbook.Budgets?.Attempt, Is.EqualTo(new BudgetLimits { WallTime = TimeSpan.FromMinutes(10), Turns = 40, OutputTokens = 20000 }));
            Assert.That(playbook.Budgets?.Task, Is.EqualTo(new BudgetLimits { InputTokens = 500000, CostUsd = 2.5m }));
        });
    }

    [Test]
    public void Parse_NoBudgets_NoneSet() =>
        Assert.That(PlaybookLoader.Parse("extends: default\n", "plain.yaml").Budgets, Is.Null);

    [Test]
    public void Parse_BadBudgets_EveryProblemWithItsLine()
    {
        const string Yaml = """
            extends: default
            budgets:
              attempt:
                wall-time: soon
                turns: 2.5
                tokens: 3
              task:
                cost-usd: 0
              run: {}
            """;

        var ex = Assert.Throws<PlaybookException>(() => PlaybookLoader.Parse(Yaml, "bad.yaml"));

        Assert.That(ex!.Errors.Select(e => (e.Line, e.Message)), Is.EquivalentTo(new[]
        {
            (9, "unknown field 'run' in budgets; known: attempt, task."),
            (6, "unknown field 'tokens' in budgets.attempt; known: wall-time, turns, input-tokens, output-tokens, cost-usd."),
            (4, "budgets.attempt.wall-time 'soon' is not a duration; write e.g. 500ms, 30s, 5m, 1h30m or 00:05:00."),
            (5, "budgets.attempt.turns '2.5' must be a whole number more than 0 and at most 2147483647."),
            (8, "budgets.task.cost-usd '0' must be a number (US dollars) more than 0 and at most 1000000."),
        }));
    }

    [Test]
    public void Parse_BudgetsInAnIncludedFile_Refused()
    {
        var folder = Directory.CreateTempSubdirectory("necrocode-budgets-include-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "part.yaml"), "budgets:\n  task:\n    turns: 3\nsteps:\n  - name: lint\n    run: echo lint\n");

            var ex = Assert.Throws<PlaybookException>(() => PlaybookLoader.Parse("steps:\n  - include: part.yaml\n  - uses: implement\n", "root.yaml", folder.FullName));

            Assert.That(ex!.Errors.Select(e => e.Message), Has.Some.StartsWith("unknown field 'budgets' in an included playbook"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

using NecroCode.AgentRunner.Playbooks;
using System.Text;

namespace NecroCode.AgentRunner.Tests.Playbooks;

public sealed partial class PlaybookConditionTests
{
    private const string Alphabet = "()!&|=<>'\". ,abtrue0123-_";

    private static readonly string[] Fragments =
    [
        "task.", "taskId", "metadata", ".", "vars.", "steps.", ".outcome", "env.", "(", ")", ",", "!", "&&", "||", "==", "!=", "<", "<=", ">", ">=",
        "'", "\"", "'a'", "\"b\"", "''", "1", "-2.5", "1.2.3", "true", "false", "null", "contains(", "startsWith(", "exists(", "success()",
        "failure()", "always()", " ", "=", "&", "|", "#", "\0", "\u00e9", "\n", "\\", "..", "/", "x", "language", "build",
    ];

    [Test]
    public void Parse_ThousandsOfGeneratedConditions_OnlyPlaybookExceptions()
    {
        var random = new Random(20261125);
        var context = Context(Path.GetTempPath());
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = i % 3 == 0 ? RandomCharacters(random) : RandomFragments(random);
            try
            {
                var condition = PlaybookCondition.Parse(text);
                parsed++;
                condition.Evaluate(context);
            }
            catch (PlaybookException ex)
            {
                Assert.That(ex.Errors, Is.Not.Empty, text);
            }
        }

        Assert.That(parsed, Is.GreaterThan(0));
    }

    [Test]
    public void Parse_HugeAndDeepInputs_ReturnPromptlyWithPlaybookException()
    {
        string[] inputs =
        [
            new string('(', 100_000),
            new string('!', 100_000),
            string.Concat(Enumerable.Repeat("contains(", 20_000)),
            new string('\'', 1) + new string('x', 1_000_000),
            string.Concat(Enumerable.Repeat("true && ", 100_000)),
        ];

        foreach (var input in inputs)
        {
            Assert.Throws<PlaybookException>(() => PlaybookCondition.Parse(input));
        }
    }

    private static string RandomFragments(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(1, 14);
        for (var i = 0; i < count; i++)
        {
            builder.Append(Fragments[random.Next(Fragments.Length)]);
        }

        return builder.ToString();
    }

    private static string RandomCharacters(Random random)
    {
        var chars = new char[random.Next(0, 40)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0xD7FF) : Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }
}

using System.Text;
using NecroCode.AgentRunner.Playbooks;

namespace NecroCode.AgentRunner.Tests.Playbooks;

public sealed partial class PlaybookLoaderTests
{
    private static readonly string[] YamlFragments =
    [
        "\n", "  ", "- ", ": ", "steps:", "name: x", "uses: test", "run: make", "if: ", "else:", "include: a.yaml", "extends: default",
        "timeout: 5s", "retry: 3", "retry: {count: 2, backoff: 1s}", "env: {A: b}", "working-directory: ../x", "always: true",
        "before: test", "after: implement", "variables:", "'", "\"", "[", "]", "{", "}", "&a ", "*a", "!tag ", "---", "...", "#", "|", ">",
        "? ", "%YAML 1.2", "\t", "task.metadata.language == 'x'", "&&", "(", ")", "\u00e9", "\0",
    ];

    [Test]
    public void Parse_ThousandsOfMutatedDocuments_OnlyPlaybookExceptions()
    {
        using var files = new TempFolder();
        files.WriteFile("a.yaml", "steps:\n  - include: a.yaml\n");
        var random = new Random(16_3);
        var seeds = new[] { Full, "extends: default\nsteps:\n  - name: lint\n    run: make lint\n    before: test\n  - uses: push\n    if: vars.x == 'y'\nvariables:\n  x: y\n" };
        var loaded = 0;
        for (var i = 0; i < 4_000; i++)
        {
            var yaml = (i % 4) switch
            {
                0 => RandomYaml(random),
                _ => Mutate(seeds[random.Next(seeds.Length)], random),
            };
            try
            {
                PlaybookLoader.Parse(yaml, "fuzz.yaml", files.Path);
                loaded++;
            }
            catch (PlaybookException ex)
            {
                Assert.That(ex.Errors, Is.Not.Empty);
                Assert.That(ex.Errors.All(e => e.Message.Length > 0 && e.Line >= 0 && e.Column >= 0), Is.True, yaml);
            }
        }

        Assert.That(loaded, Is.GreaterThan(0), "some mutations stay valid");
    }

    [Test]
    public void Parse_PathologicalDocuments_OnlyPlaybookExceptions()
    {
        string[] documents =
        [
            "steps: " + new string('{', 100_000),
            "a: &a [1]\nb: *a\n",
            string.Concat(Enumerable.Range(0, 40).Select(d => new string(' ', d * 2) + "- \n")),
            "steps:\n" + string.Concat(Enumerable.Range(0, 20).Select(d => new string(' ', 2 + (d * 6)) + "- name: s" + d + "\n" + new string(' ', 4 + (d * 6)) + "run: x\n" + new string(' ', 4 + (d * 6)) + "if: true\n" + new string(' ', 4 + (d * 6)) + "else:\n")),
            "steps:\n  - uses: test\n    if: '" + new string('(', 5000) + "'\n",
            new string('\0', 100),
            "\uFEFFsteps:\n  - uses: test\n",
            "variables:\n" + string.Concat(Enumerable.Range(0, 60_000).Select(i => $"  v{i}: x\n")) + "steps:\n  - uses: test\n",
            "steps:\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"  - name: s{i}\n    run: x\n    if: steps.s{i}.outcome == null\n")),
        ];

        foreach (var yaml in documents)
        {
            Exception? thrown = null;
            try
            {
                PlaybookLoader.Parse(yaml, "p.yaml");
            }
#pragma warning disable CA1031 // The test records any exception to assert on its type.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                thrown = ex;
            }

            Assert.That(thrown, Is.Null.Or.InstanceOf<PlaybookException>(), yaml.Length > 80 ? yaml[..80] : yaml);
        }
    }

    private static string Mutate(string seed, Random random)
    {
        var text = new StringBuilder(seed);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && text.Length > 0; e++)
        {
            var at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0:
                    text.Remove(at, Math.Min(text.Length - at, random.Next(1, 12)));
                    break;
                case 1:
                    text.Insert(at, YamlFragments[random.Next(YamlFragments.Length)]);
                    break;
                case 2:
                    text[at] = (char)random.Next(32, 127);
                    break;
                default:
                    text.Insert(at, (char)random.Next(0, 0xD7FF));
                    break;
            }
        }

        return text.ToString();
    }

    private static string RandomYaml(Random random)
    {
        var text = new StringBuilder();
        var count = random.Next(1, 30);
        for (var i = 0; i < count; i++)
        {
            text.Append(YamlFragments[random.Next(YamlFragments.Length)]);
        }

        return text.ToString();
    }
}

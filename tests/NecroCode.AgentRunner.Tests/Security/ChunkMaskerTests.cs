using System.Text;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class ChunkMaskerTests
{
    private const string Secret = "my-Secret+Value/42";

    private static readonly string Text = string.Concat(
        "start ",
        Secret,
        " b64=",
        Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + Secret)),
        " hex=",
        Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Secret)),
        " gh=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        " jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        "\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
        Secret,
        " end");

    private static SecretMasker CreateMasker()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        return masker;
    }

    private static string MaskInChunks(SecretMasker masker, string text, IEnumerable<int> cuts, int threshold)
    {
        var result = new StringBuilder();
        using var chunks = new ChunkMasker(masker, threshold);
        var start = 0;
        foreach (var cut in cuts.Append(text.Length))
        {
            if (chunks.Write(text.AsSpan(start, cut - start)))
            {
                result.Append(chunks.Output.Written);
            }

            start = cut;
        }

        if (chunks.Flush())
        {
            result.Append(chunks.Output.Written);
        }

        return result.ToString();
    }

    [Test]
    public void Write_EveryChunkSize_MatchesWholeTextMasking()
    {
        var masker = CreateMasker();
        var expected = masker.Apply(Text);
        var failures = new List<int>();

        for (var size = 1; size <= Text.Length; size++)
        {
            var cuts = Enumerable.Range(1, (Text.Length - 1) / size).Select(i => i * size);
            if (MaskInChunks(masker, Text, cuts, threshold: 1) != expected)
            {
                failures.Add(size);
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Write_EverySplitPoint_MatchesWholeTextMasking()
    {
        var masker = CreateMasker();
        var expected = masker.Apply(Text);
        var failures = new List<int>();

        for (var split = 0; split <= Text.Length; split++)
        {
            if (MaskInChunks(masker, Text, [split], threshold: 1) != expected)
            {
                failures.Add(split);
            }
        }

        Assert.That(expected, Does.Not.Contain(Secret).And.Not.Contain("ghp_").And.Not.Contain("MIIE"));
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Write_LargeTextInDefaultChunks_MatchesWholeTextMasking()
    {
        var masker = CreateMasker();
        var random = new Random(7);
        var builder = new StringBuilder();
        while (builder.Length < 300_000)
        {
            builder.Append(random.Next(10) == 0 ? Text : $"line {random.Next()} of ordinary output\n");
        }

        var text = builder.ToString();
        var cuts = Enumerable.Range(1, text.Length / 997).Select(i => i * 997);

        var result = MaskInChunks(masker, text, cuts, ChunkMasker.DefaultProcessThreshold);

        Assert.That(result, Is.EqualTo(masker.Apply(text)));
    }

    [Test]
    public void Write_ManySecretsEverySplitPoint_MatchesWholeTextMasking()
    {
        var masker = CreateMasker();
        for (var i = 0; i < 200; i++)
        {
            masker.AddSecret($"other-secret-{i:D4}");
        }

        var text = "a other-secret-0042 b " + Text + " other-secret-0199";
        var expected = masker.Apply(text);
        var failures = new List<int>();

        for (var split = 0; split <= text.Length; split++)
        {
            if (MaskInChunks(masker, text, [split], threshold: 1) != expected)
            {
                failures.Add(split);
            }
        }

        Assert.That(expected, Does.StartWith("a *** b start *** "));
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Write_ApiKeysAmongInWordPrefixes_AreMaskedInEveryChunking()
    {
        var masker = CreateMasker();
        for (var i = 0; i < 100; i++)
        {
            masker.AddSecret($"other-secret-{i:D4}-value");
        }

        const string Key = "sk-proj-A1b2C3d4E5f6G7h8I9j0K1l2";
        var random = new Random(11);
        var builder = new StringBuilder();
        while (builder.Length < 20_000)
        {
            builder.Append(random.Next(6) switch
            {
                0 => "task-" + random.Next(900) + " ",
                1 => "desk-top risk-score ",
                2 => "key=" + Key + "\n",
                3 => "\"" + Key + "\",",
                4 => "other-secret-0042-value ",
                _ => new string('x', random.Next(40)) + " ",
            });
        }

        var text = builder.ToString();
        var expected = masker.Apply(text);
        var failures = new List<int>();

        foreach (var size in new[] { 1, 7, 31, 64, 1000 })
        {
            var cuts = Enumerable.Range(1, (text.Length - 1) / size).Select(i => i * size);
            if (MaskInChunks(masker, text, cuts, ChunkMasker.DefaultProcessThreshold) != expected)
            {
                failures.Add(size);
            }
        }

        Assert.That(expected, Does.Not.Contain("sk-proj").And.Not.Contain("other-secret").And.Contain("task-").And.Contain("desk-top risk-score"));
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void Write_ShortChunks_HoldsBackOnlyAPatternLength()
    {
        var masker = CreateMasker();
        using var chunks = new ChunkMasker(masker, processThreshold: 1);

        chunks.Write(new string('x', 1000));

        Assert.That(chunks.Pending, Is.LessThan(masker.Current.MaxPatternLength));
    }

    [Test]
    public void Write_SecretAddedBetweenChunks_IsMaskedInLaterChunks()
    {
        var masker = new SecretMasker();
        using var chunks = new ChunkMasker(masker, processThreshold: 1);
        chunks.Write("first part ");

        masker.AddSecret("late-added-secret");
        chunks.Write("then late-added-secret appears");
        chunks.Flush();

        Assert.That(chunks.Output.Written.ToString(), Does.EndWith("then *** appears"));
    }

    [Test]
    public void Write_AfterDispose_Throws()
    {
        var chunks = new ChunkMasker(new SecretMasker());
        chunks.Dispose();

        Assert.That(() => chunks.Write("x"), Throws.TypeOf<ObjectDisposedException>());
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class SecretMaskerTests
{
    private const string Secret = "s3cr3t-Valu3+/?&\"x";

    private static IEnumerable<TestCaseData> Encodings()
    {
        var bytes = Encoding.UTF8.GetBytes(Secret);
        yield return new TestCaseData(Secret).SetName("Apply_PlainValue_IsMasked");
        yield return new TestCaseData(Uri.EscapeDataString(Secret)).SetName("Apply_UriEscaped_IsMasked");
        yield return new TestCaseData(WebUtility.UrlEncode(Secret)).SetName("Apply_FormUrlEncoded_IsMasked");
        yield return new TestCaseData(JsonEncodedText.Encode(Secret).Value).SetName("Apply_JsonEscaped_IsMasked");
        yield return new TestCaseData(JsonEncodedText.Encode(Secret, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value).SetName("Apply_RelaxedJsonEscaped_IsMasked");
        yield return new TestCaseData(Convert.ToHexStringLower(bytes)).SetName("Apply_HexLower_IsMasked");
        yield return new TestCaseData(Convert.ToHexString(bytes)).SetName("Apply_HexUpper_IsMasked");
    }

    [TestCaseSource(nameof(Encodings))]
    public void Apply_Encoding_IsMasked(string encoded)
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);

        var result = masker.Apply($"before {encoded} after");

        Assert.That(result, Is.EqualTo("before *** after"));
    }

    [TestCase(0, "user:")]
    [TestCase(1, "user:")]
    [TestCase(2, "user:")]
    [TestCase(0, "ab")]
    [TestCase(1, "abc")]
    [TestCase(2, "x")]
    public void Apply_Base64InAnyAlignment_HidesTheSecret(int suffixLength, string prefix)
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        var payload = Encoding.UTF8.GetBytes(prefix + Secret + new string('z', suffixLength));
        var base64 = Convert.ToBase64String(payload);
        var inner = SecretVariants.StableBase64(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetByteCount(prefix) % 3);

        var result = masker.Apply($"Authorization: Basic {base64}");

        Assert.That(result, Does.Contain("***").And.Not.Contain(inner));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void Apply_Base64UrlInAnyAlignment_HidesTheSecret(int offset)
    {
        const string secret = "??>>~~secret~~<<??";
        var masker = new SecretMasker();
        masker.AddSecret(secret);
        var payload = Encoding.UTF8.GetBytes(new string('q', offset) + secret + "tail");
        var base64Url = Convert.ToBase64String(payload).Replace('+', '-').Replace('/', '_');

        var result = masker.Apply(base64Url);

        Assert.That(result, Does.Contain("***"));
    }

    [Test]
    public void Apply_NoSecretInText_ReturnsSameInstance()
    {
        var masker = new SecretMasker();
        masker.AddSecret("correct-horse-battery");
        var random = new Random(42);
        var chars = new char[200_000];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(32, 127);
        }

        var text = new string(chars).Replace("sk-", "sk_", StringComparison.Ordinal);

        var result = masker.Apply(text);

        Assert.That(result, Is.SameAs(text));
    }

    [Test]
    public void Apply_ManySecretsInEveryEncoding_AreAllMasked()
    {
        var masker = new SecretMasker();
        var secrets = Enumerable.Range(0, 300).Select(i => $"bulk/secret+{i * 7919:D7}").ToArray();
        foreach (var secret in secrets)
        {
            masker.AddSecret(secret);
        }

        var plainLeaks = secrets
            .SelectMany(s => new[] { s, Uri.EscapeDataString(s), Convert.ToHexString(Encoding.UTF8.GetBytes(s)) })
            .Where(encoded => masker.Apply($"x {encoded} y") != "x *** y")
            .ToList();
        var base64Leaks = secrets
            .Where(s =>
            {
                var result = masker.Apply(Convert.ToBase64String(Encoding.UTF8.GetBytes("k=" + s + "\n")));
                return !result.Contains("***", StringComparison.Ordinal) || result.Contains(SecretVariants.StableBase64(Encoding.UTF8.GetBytes(s), 2), StringComparison.Ordinal);
            })
            .ToList();

        Assert.That(plainLeaks, Is.Empty);
        Assert.That(base64Leaks, Is.Empty);
    }

    [Test]
    public void Apply_OverlappingSecrets_LongestWins()
    {
        var masker = new SecretMasker();
        masker.AddSecret("password");
        masker.AddSecret("password123");

        var result = masker.Apply("pw=password123!");

        Assert.That(result, Is.EqualTo("pw=***!"));
    }

    [Test]
    public void Apply_SecretStartingInsideAnother_MasksTheUnion()
    {
        var masker = new SecretMasker();
        masker.AddSecret("abcdef123");
        masker.AddSecret("123ghijkl");

        var result = masker.Apply("[abcdef123ghijkl]");

        Assert.That(result, Is.EqualTo("[***]"));
    }

    [Test]
    public void Apply_SecretShorterThanMinimum_IsNotMasked()
    {
        var masker = new SecretMasker();
        masker.AddSecret("true");

        var result = masker.Apply("enabled: true");

        Assert.That(result, Is.EqualTo("enabled: true"));
    }

    [Test]
    public void AddSecret_ShorterThanMinimum_LogsWithoutTheValue()
    {
        var logger = new FakeLogger<SecretMasker>();
        var masker = new SecretMasker(Options.Create(new SecretMaskerOptions()), logger);

        masker.AddSecret("hunt");

        Assert.That(logger.Collector.LatestRecord.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(logger.Collector.LatestRecord.Message, Does.Not.Contain("hunt"));
    }

    [Test]
    public void Apply_ConfiguredMinimumAndMask_AreUsed()
    {
        var masker = new SecretMasker(new SecretMaskerOptions { MinimumSecretLength = 3, Mask = "[hidden]" });
        masker.AddSecret("abc");

        var result = masker.Apply("xx abc yy");

        Assert.That(result, Is.EqualTo("xx [hidden] yy"));
    }

    [Test]
    public void Apply_SecretWithSurroundingWhitespace_MasksTheTrimmedValue()
    {
        var masker = new SecretMasker();
        masker.AddSecret("file-secret-value\n");

        var result = masker.Apply("token=file-secret-value;");

        Assert.That(result, Is.EqualTo("token=***;"));
    }

    [Test]
    public void Apply_TokenShapesDisabled_LeavesTokens()
    {
        var masker = new SecretMasker(new SecretMaskerOptions { MaskTokenShapes = false });
        var token = "ghp_" + new string('a', 18) + new string('7', 18);

        var result = masker.Apply(token);

        Assert.That(result, Is.SameAs(token));
    }

    [Test]
    public void Constructor_FromServiceProvider_UsesConfiguredOptions()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddOptions<SecretMaskerOptions>().Configure(o => o.Mask = "[masked]");
        services.AddSingleton<SecretMasker>();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var masker = provider.GetRequiredService<SecretMasker>();

        Assert.That(masker.Mask, Is.EqualTo("[masked]"));
    }

    [Test]
    public void Apply_Null_Throws()
    {
        var masker = new SecretMasker();

        Assert.That(() => masker.Apply(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Constructor_EmptyMask_Throws()
    {
        Assert.That(() => new SecretMasker(new SecretMaskerOptions { Mask = "" }), Throws.ArgumentException.With.Message.Contains("Mask"));
    }

    [Test]
    public void AddSecret_WhileOtherThreadsMask_EverySecretAddedIsMaskedAfterwards()
    {
        var masker = new SecretMasker();
        var secrets = Enumerable.Range(0, 200).Select(i => $"concurrent-secret-{i:D4}").ToArray();
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var maskers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var added = masker.SecretCount > 0;
                var text = masker.Apply("line with concurrent-secret-0000 and other text");
                if (added && text.Contains("concurrent-secret-0000", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        masker.AddSecret(secrets[0]);
        Parallel.ForEach(secrets.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = 2 }, masker.AddSecret);
        var results = secrets.Select(s => masker.Apply($"value {s} end")).ToArray();
        stop.Cancel();
        Task.WaitAll(maskers, TimeSpan.FromMinutes(2));

        Assert.That(results, Has.All.EqualTo("value *** end"));
        Assert.That(failures, Is.Zero);
    }

    [Test]
    public void RemoveSecret_AddedOnce_NoLongerMaskedInAnyEncoding()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        masker.AddSecret("other-secret-value");
        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Secret));
        Assert.That(masker.Apply($"{Secret} {hex}"), Is.EqualTo("*** ***"));

        masker.RemoveSecret(Secret);

        Assert.Multiple(() =>
        {
            Assert.That(masker.Apply($"{Secret} {hex}"), Is.EqualTo($"{Secret} {hex}"));
            Assert.That(masker.Apply("other-secret-value"), Is.EqualTo("***"));
            Assert.That(masker.SecretCount, Is.EqualTo(1));
        });
    }

    [Test]
    public void RemoveSecret_AddedByTwo_MaskedUntilBothRemoved()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);
        masker.AddSecret(Secret);

        masker.RemoveSecret(Secret);
        var afterFirst = masker.Apply(Secret);
        masker.RemoveSecret(Secret);

        Assert.Multiple(() =>
        {
            Assert.That(afterFirst, Is.EqualTo("***"));
            Assert.That(masker.Apply(Secret), Is.EqualTo(Secret));
        });
    }

    [Test]
    public void RemoveSecret_NeverAdded_NothingChanges()
    {
        var masker = new SecretMasker();
        masker.AddSecret(Secret);

        masker.RemoveSecret("never-added-value");

        Assert.That(masker.Apply(Secret), Is.EqualTo("***"));
    }
}

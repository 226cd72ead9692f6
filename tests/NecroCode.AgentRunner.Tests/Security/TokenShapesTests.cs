using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Security;

[TestFixture]
public sealed class TokenShapesTests
{
    private const string Mixed36 = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";

    private static readonly string Jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ" + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    private static readonly string Pem =
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yQ==\n-----END RSA PRIVATE KEY-----";

    private static IEnumerable<TestCaseData> Tokens()
    {
        foreach (var prefix in new[] { "ghp_", "gho_", "ghu_", "ghs_", "ghr_" })
        {
            yield return new TestCaseData(prefix + Mixed36).SetName($"Apply_GitHub_{prefix.TrimEnd('_')}_IsMasked");
        }

        yield return new TestCaseData("github_pat_11ABCDEFG0abcdefghijkl_" + Mixed36 + "xyzXYZ0123456789abcdefghij").SetName("Apply_GitHubFineGrained_IsMasked");
        yield return new TestCaseData("glpat-" + "xY3_zk9-Qm2vLp8RtW4n").SetName("Apply_GitLab_IsMasked");
        yield return new TestCaseData("AKIA" + "IOSFODNN7EXAMPL3").SetName("Apply_AwsAccessKeyId_IsMasked");
        yield return new TestCaseData("ASIA" + "Q3EGPXN7R2ZKW5TY").SetName("Apply_AwsTemporaryKeyId_IsMasked");
        foreach (var kind in "abprs")
        {
            yield return new TestCaseData($"xox{kind}-" + "1234567890-0987654321-AbCdEfGhIjKl").SetName($"Apply_Slack_xox{kind}_IsMasked");
        }

        yield return new TestCaseData(Jwt).SetName("Apply_Jwt_IsMasked");
        yield return new TestCaseData(Pem).SetName("Apply_PemMultiLine_IsMasked");
        yield return new TestCaseData(Pem.Replace("\n", "\\n", StringComparison.Ordinal)).SetName("Apply_PemJsonEscaped_IsMasked");
        yield return new TestCaseData("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----").SetName("Apply_PemOpenSsh_IsMasked");
        yield return new TestCaseData("sk-" + "proj-" + Mixed36 + "T3BlbkFJ").SetName("Apply_OpenAiKey_IsMasked");
        yield return new TestCaseData("sk-ant-api03-" + Mixed36 + Mixed36 + "-AA").SetName("Apply_AnthropicKey_IsMasked");
    }

    private static IEnumerable<TestCaseData> NearMisses()
    {
        yield return new TestCaseData("the prefix ghp_ alone").SetName("Apply_GitHubPrefixAlone_IsKept");
        yield return new TestCaseData("ghp_short123").SetName("Apply_GitHubTooShort_IsKept");
        yield return new TestCaseData("xghp_" + Mixed36).SetName("Apply_GitHubInsideWord_IsKept");
        yield return new TestCaseData("glpat-short").SetName("Apply_GitLabTooShort_IsKept");
        yield return new TestCaseData("AKIA1234").SetName("Apply_AwsTooShort_IsKept");
        yield return new TestCaseData("AKIAIOSFODNN7EXAMPLE12").SetName("Apply_AwsTooLong_IsKept");
        yield return new TestCaseData("AKIAiosfodnn7example").SetName("Apply_AwsLowerCase_IsKept");
        yield return new TestCaseData("ABCDIOSFODNN7EXAMPLE").SetName("Apply_AwsUnknownPrefix_IsKept");
        yield return new TestCaseData("xoxq-1234567890-abcdef").SetName("Apply_SlackUnknownKind_IsKept");
        yield return new TestCaseData("xoxb-no-digits-here-at-all").SetName("Apply_SlackNoDigits_IsKept");
        yield return new TestCaseData("eyJ alone and eyJhbGciOiJIUzI1NiJ9 without dots").SetName("Apply_JwtHeaderOnly_IsKept");
        yield return new TestCaseData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").SetName("Apply_PemCertificate_IsKept");
        yield return new TestCaseData("desk-top task-1234567890ABCdefghijklmnop risk-averse").SetName("Apply_SkInsideWords_IsKept");
        yield return new TestCaseData("sk-learn-compatible-estimators-for-everyone").SetName("Apply_SkHyphenatedWords_IsKept");
        yield return new TestCaseData("sk-").SetName("Apply_SkPrefixAlone_IsKept");
    }

    [TestCaseSource(nameof(Tokens))]
    public void Apply_Token_IsMasked(string token)
    {
        var masker = new SecretMasker();

        var result = masker.Apply($"value=\"{token}\" rest");

        Assert.That(result, Is.EqualTo("value=\"***\" rest"));
    }

    [TestCaseSource(nameof(NearMisses))]
    public void Apply_NearMiss_IsKept(string text)
    {
        var masker = new SecretMasker();

        var result = masker.Apply(text);

        Assert.That(result, Is.SameAs(text));
    }

    [Test]
    public void Match_PemWithoutEnd_MasksHeaderAndKeyMaterial()
    {
        const string text = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nnext: line";

        var status = TokenShapes.Match(text, '\0', final: true, out var length);

        Assert.That(status, Is.EqualTo(MatchStatus.Match));
        Assert.That(text[length..], Is.EqualTo(": line"));
    }

    [Test]
    public void Match_TokenRunningToEndOfChunk_NeedsMore()
    {
        var status = TokenShapes.Match("ghp_" + Mixed36, '\0', final: false, out _);

        Assert.That(status, Is.EqualTo(MatchStatus.NeedMore));
    }
}

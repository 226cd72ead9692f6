using System.Text.RegularExpressions;
using NecroCode.AgentRunner.Cli.Hosting;

namespace NecroCode.AgentRunner.IntegrationTests;

/// <summary>The keys the command-line host accepts under NecroCode, derived from the options classes it binds.</summary>
[TestFixture]
public sealed partial class KnownSettingsTests
{
    [TestCase("NecroCode:Runner:MainBranch")]
    [TestCase("necrocode:runner:mainbranch")]
    [TestCase("NecroCode:Runner")]
    [TestCase("NecroCode:Git:ProtectedBranches:0")]
    [TestCase("NecroCode:Credentials:Environment:git-token")]
    [TestCase("NecroCode:Credentials:Order:1")]
    [TestCase("NecroCode:Docker:ExtraMounts:2:Target")]
    [TestCase("NecroCode:Docker:Settings:NecroCode__Agent__Command")]
    [TestCase("NecroCode:ClaudeCode:ApiKeyVariables:0")]
    [TestCase("NecroCode:Kiro:PassEnvironment:0")]
    [TestCase("NecroCode:Health:Port")]
    [TestCase("NecroCode:Health:RequireSlot")]
    [TestCase("NecroCode:Execution:Mode")]
    [TestCase("NecroCode:Execution:RunnerId")]
    [TestCase("NecroCode:Kubernetes:Namespace")]
    [TestCase("NecroCode:Kubernetes:Tolerations:0:Effect")]
    [TestCase("NecroCode:Kubernetes:Settings:NecroCode__Registry__Kind")]
    [TestCase("NecroCode:Agent:Kind")]
    [TestCase("NecroCode:Registry:Kind")]
    [TestCase("NecroCode:PostgreSql:ConnectionStringSecret")]
    [TestCase("NecroCode:Logging:Format")]
    [TestCase("Logging:LogLevel:Default")]
    public void IsKnown_KeyOfABoundOptionsClassOrTheHost_True(string key)
    {
        Assert.That(KnownSettings.ForHost.IsKnown(key), Is.True);
    }

    [TestCase("NecroCode:Runner:MaxFixAtempts")]
    [TestCase("NecroCode:Telemetry")]
    [TestCase("NecroCode:Runner:MainBranch:Name")]
    [TestCase("NecroCode:Docker:ExtraMounts:0:Sorce")]
    [TestCase("NecroCode:Logging:Levle")]
    [TestCase("NecroCode:Kubernetes:Namspace")]
    [TestCase("NecroCode:Docker:Settings:NecroCode:Agent:Command")]
    public void IsKnown_KeyNoSettingAnswersTo_False(string key)
    {
        Assert.That(KnownSettings.ForHost.IsKnown(key), Is.False);
    }

    [TestCase("NecroCode:Runner:MaxFixAtempts", "NecroCode:Runner:MaxFixAttempts")]
    [TestCase("NecroCode:Gti:PushAttempts", "NecroCode:Git:PushAttempts")]
    [TestCase("NecroCode:Docker:ExtraMounts:3:Sorce", "NecroCode:Docker:ExtraMounts:3:Source")]
    [TestCase("NecroCode:Credentials:Enviroment:git-token", "NecroCode:Credentials:Environment:git-token")]
    [TestCase("necrocode:logging:levle", "NecroCode:Logging:Level")]
    public void Suggest_Misspelling_NearestKnownKey(string key, string expected)
    {
        Assert.That(KnownSettings.ForHost.Suggest(key), Is.EqualTo(expected));
    }

    [Test]
    public void Suggest_NothingClose_Null()
    {
        Assert.That(KnownSettings.ForHost.Suggest("NecroCode:Telemetry:Endpoint"), Is.Null);
    }

    [Test]
    public void Create_OptionsClassWithNestedListOfObjects_EveryLevelKnown()
    {
        var known = KnownSettings.Create([OptionsBinding.Of<SampleOptions>("NecroCode:Sample")], ["Extra:Key"]);

        Assert.That(known.Keys, Is.EqualTo(new[]
        {
            "NecroCode:Extra:Key",
            "NecroCode:Sample:Limits:*",
            "NecroCode:Sample:Name",
            "NecroCode:Sample:Parts:*:Size",
            "NecroCode:Sample:Timeout",
        }));
    }

    [Test]
    public void IsKnown_EveryKeyDocumentedInConfigurationMd_True()
    {
        var document = File.ReadAllText(Path.Combine(SourceTree.Root, "docs", "configuration.md"));
        var documented = new List<string>();
        string? section = null;
        foreach (var line in document.Split('\n'))
        {
            if (SectionHeading().Match(line) is { Success: true } heading)
            {
                section = heading.Groups[1].Value;
            }
            else if (TableKey().Match(line) is { Success: true } row)
            {
                var key = row.Groups[1].Value;
                documented.Add(key.StartsWith("NecroCode:", StringComparison.Ordinal) ? key : $"{section}:{key}");
            }
        }

        var hostBound = documented;
        Assert.Multiple(() =>
        {
            Assert.That(hostBound, Has.Count.GreaterThan(100));
            Assert.That(hostBound.Where(k => !KnownSettings.ForHost.IsKnown(k)), Is.Empty);
            Assert.That(documented.Where(k => k.StartsWith("NecroCode:Kubernetes:", StringComparison.Ordinal)), Is.Not.Empty);
        });
    }

    [GeneratedRegex(@"^### `(NecroCode:[A-Za-z0-9:]+)`")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^\| `((?:NecroCode:)?[A-Za-z:]+)` \|")]
    private static partial Regex TableKey();

    public sealed class SampleOptions
    {
        public string Name { get; set; } = "";

        public TimeSpan? Timeout { get; set; }

        public IDictionary<string, int> Limits { get; } = new Dictionary<string, int>();

        public List<SamplePart> Parts { get; set; } = [];

        public int Computed => Name.Length;
    }

    public sealed class SamplePart
    {
        public long Size { get; set; }
    }
}

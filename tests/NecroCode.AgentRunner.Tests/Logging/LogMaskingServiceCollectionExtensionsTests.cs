// The extension logging methods are used on purpose: masking must cover every way a component logs.
#pragma warning disable CA1848, CA1873, CA2254

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NecroCode.AgentRunner.Logging;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Tests.Logging;

[TestFixture]
public sealed partial class LogMaskingServiceCollectionExtensionsTests
{
    private const string Token = "canary-log-token-0451";

    private ServiceProvider _services = null!;
    private FakeLogCollector _collector = null!;

    [SetUp]
    public void SetUp()
    {
        var services = new ServiceCollection();
        services.AddAgentRunner();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddAgentRunnerLogMasking();
        _services = services.BuildServiceProvider();
        _collector = _services.GetFakeLogCollector();
        _services.GetRequiredService<ISecretMasker>().AddSecret(Token);
    }

    [TearDown]
    public void TearDown() => _services.Dispose();

    [Test]
    public void AddAgentRunnerLogMasking_SecretInMessage_ProviderSeesItMasked()
    {
        Logger().LogWarning("push with {Token} failed", Token);

        var record = _collector.LatestRecord;
        Assert.Multiple(() =>
        {
            Assert.That(record.Message, Is.EqualTo("push with *** failed"));
            Assert.That(record.GetStructuredStateValue("Token"), Is.EqualTo("***"));
            Assert.That(record.GetStructuredStateValue("{OriginalFormat}"), Is.EqualTo("push with {Token} failed"));
        });
    }

    [Test]
    public void AddAgentRunnerLogMasking_SourceGeneratedMessage_Masked()
    {
        LogPushFailed(Logger(), "https://x:" + Token + "@example.com/repo.git");

        Assert.That(_collector.LatestRecord.Message, Is.EqualTo("Push to https://x:***@example.com/repo.git failed"));
    }

    [Test]
    public void AddAgentRunnerLogMasking_EncodedSecret_Masked()
    {
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Token));

        Logger().LogInformation("header {Header}", "Basic " + base64);

        Assert.That(_collector.LatestRecord.Message, Does.Not.Contain(base64[..8]));
    }

    [Test]
    public void AddAgentRunnerLogMasking_SecretInException_MaskedStandInWithTypeName()
    {
        var inner = new IOException($"remote said {Token}");

        Logger().LogError(new InvalidOperationException("push failed", inner), "step failed");

        var exception = _collector.LatestRecord.Exception;
        Assert.Multiple(() =>
        {
            Assert.That(exception, Is.TypeOf<MaskedLogException>());
            Assert.That(exception!.ToString(), Does.Not.Contain(Token).And.Contain("remote said ***").And.Contain("InvalidOperationException"));
            Assert.That(((MaskedLogException)exception).OriginalType, Is.EqualTo(typeof(InvalidOperationException).FullName));
        });
    }

    [Test]
    public void AddAgentRunnerLogMasking_ExceptionWithoutSecret_PassedUnchanged()
    {
        var original = new InvalidOperationException("plain failure");

        Logger().LogError(original, "step failed");

        Assert.That(_collector.LatestRecord.Exception, Is.SameAs(original));
    }

    [Test]
    public void AddAgentRunnerLogMasking_NonStringStateValue_MaskedWhenItsTextHoldsASecret()
    {
        Logger().LogInformation("remote {Remote} attempt {Attempt}", new Uri($"https://user:{Token}@example.com/"), 3);

        var record = _collector.LatestRecord;
        Assert.Multiple(() =>
        {
            Assert.That(record.Message, Does.Not.Contain(Token));
            Assert.That(record.GetStructuredStateValue("Remote"), Does.Not.Contain(Token));
            Assert.That(record.StructuredState!.Single(p => p.Key == "Attempt").Value, Is.EqualTo("3"));
        });
    }

    [Test]
    public void AddAgentRunnerLogMasking_ScopeHoldingSecret_Masked()
    {
        var logger = Logger();
        using (logger.BeginScope("task with {Token}", Token))
        {
            logger.LogInformation("inside");
        }

        var scope = (IEnumerable<KeyValuePair<string, object?>>)_collector.LatestRecord.Scopes.Single()!;
        Assert.Multiple(() =>
        {
            Assert.That(scope.Single(p => p.Key == "Token").Value, Is.EqualTo("***"));
            Assert.That(_collector.LatestRecord.Scopes.Single()!.ToString(), Is.EqualTo("task with ***"));
        });
    }

    [Test]
    public void AddAgentRunnerLogMasking_SecretAddedAfterLoggerCreated_StillMasked()
    {
        var logger = Logger();
        _services.GetRequiredService<ISecretMasker>().AddSecret("later-secret-value");

        logger.LogInformation("value later-secret-value");

        Assert.That(_collector.LatestRecord.Message, Is.EqualTo("value ***"));
    }

    [Test]
    public void AddAgentRunnerLogMasking_TokenShapeWithoutKnownSecret_Masked()
    {
        Logger().LogInformation("found ghp_" + new string('a', 36));

        Assert.That(_collector.LatestRecord.Message, Does.Not.Contain("ghp_aaaa"));
    }

    [Test]
    public void AddAgentRunnerLogMasking_MaskerLogsItself_NoRecursionAndRecorded()
    {
        Logger().LogInformation("after {Value}", "x");
        _services.GetRequiredService<ISecretMasker>().AddSecret("ab");

        Assert.That(_collector.GetSnapshot().Any(r => r.Id.Id == 5001), Is.True);
    }

    [Test]
    public void AddAgentRunnerLogMasking_LevelFiltered_NothingRecorded()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddFakeLogging());
        services.AddSingleton<ISecretMasker>(new SecretMasker());
        services.AddAgentRunnerLogMasking();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<ILogger<LogMaskingServiceCollectionExtensionsTests>>().LogInformation("quiet");

        Assert.That(provider.GetFakeLogCollector().Count, Is.Zero);
    }

    [LoggerMessage(9901, LogLevel.Warning, "Push to {Remote} failed")]
    private static partial void LogPushFailed(ILogger logger, string remote);

    private ILogger Logger() => _services.GetRequiredService<ILogger<LogMaskingServiceCollectionExtensionsTests>>();
}

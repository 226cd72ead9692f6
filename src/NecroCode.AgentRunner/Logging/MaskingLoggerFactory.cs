using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Logging;

/// <summary>
/// Wraps the host's logger factory so that every logger it creates masks secrets before any provider
/// (console, JSON, OpenTelemetry …) sees a record.
/// </summary>
internal sealed class MaskingLoggerFactory : ILoggerFactory
{
    private readonly ILoggerFactory _inner;
    private readonly Func<ISecretMasker> _masker;

    public MaskingLoggerFactory(ILoggerFactory inner, Func<ISecretMasker> masker)
    {
        _inner = inner;
        _masker = masker;
    }

    public ILogger CreateLogger(string categoryName) => new MaskingLogger(_inner.CreateLogger(categoryName), _masker);

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    public void Dispose() => _inner.Dispose();
}

using Microsoft.Extensions.Logging;

namespace NecroCode.AgentRunner.Logging;

/// <summary>
/// Passes a record on with its message, its exception's text and its string-valued structured state
/// masked by the <see cref="ISecretMasker"/>.
/// </summary>
internal sealed class MaskingLogger : ILogger
{
    [ThreadStatic]
    private static bool t_masking;

    private readonly ILogger _inner;
    private readonly Func<ISecretMasker> _masker;

    public MaskingLogger(ILogger inner, Func<ISecretMasker> masker)
    {
        _inner = inner;
        _masker = masker;
    }

    public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        if (t_masking)
        {
            return _inner.BeginScope(state);
        }

        t_masking = true;
        try
        {
            var masker = _masker();
            return state switch
            {
                string text => _inner.BeginScope(masker.Apply(text)),
                IEnumerable<KeyValuePair<string, object?>> pairs when MaskedLogState.TryMask(pairs, masker, state.ToString() ?? "", out var masked) => _inner.BeginScope(masked),
                _ => _inner.BeginScope(state),
            };
        }
        finally
        {
            t_masking = false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!_inner.IsEnabled(logLevel))
        {
            return;
        }

        // The masker's own records (counts only) are passed through, so that logging inside Apply cannot recurse.
        if (t_masking)
        {
            _inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        t_masking = true;
        MaskedLogState masked;
        Exception? maskedException;
        try
        {
            var masker = _masker();
            var message = masker.Apply(formatter(state, exception) ?? "");
            masked = MaskedLogState.Create(state, message, masker);
            maskedException = MaskedLogException.Wrap(exception, masker);
        }
        finally
        {
            t_masking = false;
        }

        _inner.Log(logLevel, eventId, masked, maskedException, static (s, _) => s.Message);
    }
}

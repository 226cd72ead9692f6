namespace NecroCode.AgentRunner.Logging;

/// <summary>
/// Stands in for a logged exception whose text held a secret: same type name, masked message and
/// masked <see cref="ToString"/> (which providers print, stack and inner exceptions included).
/// </summary>
public sealed class MaskedLogException : Exception
{
    private readonly string _text;

    /// <summary>Creates an empty stand-in.</summary>
    public MaskedLogException()
        : this("", "", "")
    {
    }

    /// <summary>Creates a stand-in with a message.</summary>
    /// <param name="message">The (masked) message.</param>
    public MaskedLogException(string message)
        : this(message, "", message)
    {
    }

    /// <summary>Creates a stand-in with a message; the inner exception is not kept (its text may hold a secret).</summary>
    /// <param name="message">The (masked) message.</param>
    /// <param name="innerException">Ignored.</param>
    public MaskedLogException(string message, Exception innerException)
        : this(message, "", message)
    {
        _ = innerException;
    }

    private MaskedLogException(string message, string typeName, string text)
        : base(message)
    {
        OriginalType = typeName;
        _text = text;
    }

    /// <summary>The full name of the exception type that was logged.</summary>
    public string OriginalType { get; }

    /// <summary>The masked text of the logged exception: type, message, inner exceptions and stack.</summary>
    /// <returns>The masked text.</returns>
    public override string ToString() => _text;

    /// <summary>Returns <paramref name="exception"/> itself when its text holds no secret, else a masked stand-in.</summary>
    internal static Exception? Wrap(Exception? exception, ISecretMasker masker)
    {
        if (exception is null)
        {
            return null;
        }

        var text = exception.ToString();
        var maskedText = masker.Apply(text);
        var message = masker.Apply(exception.Message);
        return ReferenceEquals(maskedText, text) && ReferenceEquals(message, exception.Message)
            ? exception
            : new MaskedLogException(message, exception.GetType().FullName ?? exception.GetType().Name, maskedText);
    }
}

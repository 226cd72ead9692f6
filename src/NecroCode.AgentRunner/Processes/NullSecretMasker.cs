namespace NecroCode.AgentRunner.Processes;

/// <summary>The masker used when none is registered: masks nothing.</summary>
internal sealed class NullSecretMasker : ISecretMasker
{
    /// <summary>The shared instance.</summary>
    public static NullSecretMasker Instance { get; } = new();

    /// <inheritdoc />
    public string Mask => "***";

    /// <inheritdoc />
    public void AddSecret(string value)
    {
    }

    /// <inheritdoc />
    public string Apply(string text) => text;
}

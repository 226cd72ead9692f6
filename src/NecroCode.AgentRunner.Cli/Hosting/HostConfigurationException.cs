namespace NecroCode.AgentRunner.Cli;

/// <summary>The host's settings are invalid (bad file, bad value, failed options validation).</summary>
/// <param name="message">What is wrong, naming the setting.</param>
/// <param name="inner">The underlying exception, if any.</param>
internal sealed class HostConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

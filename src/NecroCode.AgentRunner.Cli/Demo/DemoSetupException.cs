namespace NecroCode.AgentRunner.Cli.Demo;

/// <summary>The demo environment could not be built.</summary>
/// <param name="message">What failed.</param>
/// <param name="inner">The underlying exception, if any.</param>
internal sealed class DemoSetupException(string message, Exception? inner = null) : Exception(message, inner);

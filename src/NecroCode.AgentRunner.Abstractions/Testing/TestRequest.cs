namespace NecroCode.AgentRunner;

/// <summary>A request to run a task's tests.</summary>
/// <param name="WorkspacePath">The working directory.</param>
/// <param name="Commands">Shell command lines; detected from the repository when empty (R4.1).</param>
/// <param name="FailFast">Stop at the first failing command.</param>
/// <param name="Events">Where output lines go.</param>
/// <param name="StepName">The step name for output events.</param>
public sealed record TestRequest(string WorkspacePath, IReadOnlyList<string> Commands, bool FailFast, IRunEventSink Events, string StepName = "test");

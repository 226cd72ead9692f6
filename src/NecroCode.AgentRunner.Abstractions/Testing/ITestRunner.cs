namespace NecroCode.AgentRunner;

/// <summary>Runs a task's test commands and returns a structured result.</summary>
public interface ITestRunner
{
    /// <summary>Runs the commands in order in the workspace.</summary>
    /// <param name="request">The workspace and commands.</param>
    /// <param name="cancellationToken">Stops the running command (its whole process tree).</param>
    /// <returns>The structured result; failing tests are a result, not an exception.</returns>
    Task<TestRunResult> RunAsync(TestRequest request, CancellationToken cancellationToken);
}

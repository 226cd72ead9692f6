using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.TestExecution;

/// <summary>Validates <see cref="TestRunnerOptions"/> against its attribute rules.</summary>
[OptionsValidator]
internal sealed partial class TestRunnerOptionsValidator : IValidateOptions<TestRunnerOptions>
{
}

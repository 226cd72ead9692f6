namespace NecroCode.AgentRunner.Playbooks;

/// <summary>How a command step ended.</summary>
/// <param name="Outcome"><see cref="StepOutcome.Succeeded"/>, <see cref="StepOutcome.Failed"/> or <see cref="StepOutcome.TimedOut"/> (of the last attempt).</param>
/// <param name="Attempts">How many times the command ran (0 when it could not be started in its directory).</param>
/// <param name="LastResult">The last attempt's process result, when the command ran.</param>
/// <param name="Message">Why it did not succeed; null when it did.</param>
internal sealed record CommandStepResult(StepOutcome Outcome, int Attempts, ProcessResult? LastResult, string? Message);

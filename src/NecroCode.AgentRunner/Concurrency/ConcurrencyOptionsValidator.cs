using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Concurrency;

/// <summary>Checks the attribute rules of <see cref="ConcurrencyOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class ConcurrencyOptionsValidator : IValidateOptions<ConcurrencyOptions>;

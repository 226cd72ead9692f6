using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Kiro;

/// <summary>Kiro as the coding agent (<see cref="KiroDescription"/>).</summary>
internal sealed class KiroCodingAgent(IProcessRunner processes, ISecretMasker masker, IOptions<KiroOptions> options, ILogger<KiroCodingAgent>? logger = null)
    : CommandLineCodingAgent(new KiroDescription(options.Value), processes, masker, logger ?? NullLogger<KiroCodingAgent>.Instance);

using System.Globalization;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Tests.Agents.CommandLine;

/// <summary>A process runner that publishes scripted output lines and returns a scripted result, recording the spec it got.</summary>
internal sealed class ScriptedProcessRunner(ProcessResult result, params (OutputSource Stream, string Text)[] lines) : IProcessRunner
{
    public ProcessSpec? Spec { get; private set; }

    public bool PromptFileExisted { get; private set; }

    public ProcessStartException? StartFailure { get; init; }

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        Spec = spec;
        PromptFileExisted = spec.Arguments.Any(File.Exists);
        if (StartFailure is not null)
        {
            throw StartFailure;
        }

        foreach (var (stream, text) in lines)
        {
            spec.Events?.Publish(new OutputLine(spec.StepName, stream, text));
        }

        return Task.FromResult(result);
    }

    public static ProcessResult Exited(int code, string standardError = "", string standardOutput = "") =>
        new(code, false, TimeSpan.FromSeconds(1), standardOutput, standardError);
}

/// <summary>A description whose every choice a test sets.</summary>
internal sealed class ScriptedDescription : CommandLineAgentDescription
{
    public override string Name => "scripted";

    public override string DisplayName => "Scripted";

    public override string Command { get; } = "scripted-agent";

    public Func<AgentOutputParser?> Parser { get; init; } = () => null;

    public Func<int, string?>? ExitCodes { get; init; }

    public AgentEnvironment Variables { get; init; } = AgentEnvironment.None;

    public bool PromptInFile { get; init; }

    public string? Problem { get; init; }

    public override AgentEnvironment Environment => Variables;

    public override bool UsesPromptFile => PromptInFile;

    public override string? ConfigurationError => Problem;

    public override TimeSpan? Timeout => TimeSpan.FromSeconds(90);

    public override IReadOnlyList<string> BuildArguments(AgentRequest request, string? promptFile) =>
        promptFile is null ? ["run", PromptArgument(request.Prompt)] : ["run", promptFile];

    public override AgentOutputParser? CreateParser() => Parser();

    public override string? DescribeExitCode(int exitCode) => ExitCodes is null ? base.DescribeExitCode(exitCode) : ExitCodes(exitCode);
}

/// <summary>A parser that renders <c>say: X</c> as <c>X</c>, reads <c>usage: IN OUT</c> and a final <c>ok</c> or <c>failed: WHY</c>.</summary>
internal sealed class ScriptedParser : AgentOutputParser
{
    public override bool ReportsFinalResult => true;

    public override void Accept(string line, Action<string> emit)
    {
        if (line.StartsWith("say: ", StringComparison.Ordinal))
        {
            emit(line["say: ".Length..]);
        }
        else if (line.StartsWith("usage: ", StringComparison.Ordinal))
        {
            var parts = line.Split(' ');
            AddUsage(new AgentUsage(long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
        }
        else if (line == "ok")
        {
            Verdict = new AgentVerdict(true);
            Summary = "all done";
        }
        else if (line.StartsWith("failed: ", StringComparison.Ordinal))
        {
            Verdict = new AgentVerdict(false, line["failed: ".Length..]);
        }
    }
}

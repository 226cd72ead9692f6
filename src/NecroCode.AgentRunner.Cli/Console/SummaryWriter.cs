using System.Globalization;

namespace NecroCode.AgentRunner.Cli;

/// <summary>Prints the run summary for a person.</summary>
internal static class SummaryWriter
{
    /// <param name="writer">Where.</param>
    /// <param name="result">The run.</param>
    /// <param name="links">Download links of stored artifacts by URI, printed under each; none when null.</param>
    public static void Write(TextWriter writer, RunnerResult result, IReadOnlyDictionary<Uri, ArtifactDownloadLink>? links = null)
    {
        var culture = CultureInfo.InvariantCulture;
        writer.WriteLine();
        writer.WriteLine(string.Create(culture, $"Task      {result.SpecName}/{result.TaskId}"));
        writer.WriteLine(string.Create(culture, $"Outcome   {result.Outcome} ({result.State})"));
        writer.WriteLine(string.Create(culture, $"Runner    {result.RunnerId}"));
        writer.WriteLine(string.Create(culture, $"Duration  {result.Duration.TotalSeconds:0.0}s"));
        writer.WriteLine(string.Create(culture, $"Branch    {result.Branch}"));
        writer.WriteLine(string.Create(culture, $"Commit    {result.CommitId ?? "-"}"));
        if (result.SlotQuarantined is { } quarantined)
        {
            writer.WriteLine(string.Create(culture, $"Slot      {result.SlotId} QUARANTINED: {quarantined}"));
        }
        if (result.Push is { } push)
        {
            writer.WriteLine(string.Create(culture, $"Push      {(push.Succeeded ? "pushed" : "failed")} to {push.Remote} after {push.Attempts} attempt(s)"));
        }

        if (result.Tests is { } tests)
        {
            writer.WriteLine(string.Create(culture, $"Tests     {tests.Outcome}: {tests.Passed} passed, {tests.Failed} failed ({tests.Duration.TotalSeconds:0.0}s)"));
            foreach (var command in tests.Commands)
            {
                writer.WriteLine(string.Create(culture, $"          {command.Outcome,-8} {command.Command} (exit {command.ExitCode?.ToString(culture) ?? "-"}, {command.Duration.TotalSeconds:0.0}s)"));
            }

            WriteComparison(writer, tests.Comparison);
        }

        if (result.Implementations.Count > 0)
        {
            var attempts = result.Implementations.Count;
            var verdict = result.PassedOnAttempt is { } passed ? $", passed on attempt {passed}" : result.Tests is { Outcome: not TestOutcome.Passed } ? ", the tests never passed" : "";
            writer.WriteLine(string.Create(culture, $"Attempts  {attempts}{verdict}"));
        }

        if (result.PeakMemoryBytes is not null || result.CpuTime is not null)
        {
            writer.WriteLine($"Resources {Resources(result.PeakMemoryBytes, result.CpuTime)}");
            foreach (var step in result.Steps.Where(s => s.PeakMemoryBytes is not null || s.CpuTime is not null))
            {
                writer.WriteLine(string.Create(culture, $"          {step.Name,-18} {Resources(step.PeakMemoryBytes, step.CpuTime)}"));
            }
        }

        if (result.Steps.Where(s => s.SandboxRefusals > 0).ToList() is { Count: > 0 } refused)
        {
            var perStep = string.Join(", ", refused.Select(s => string.Create(culture, $"{s.Name} {s.SandboxRefusals}")));
            writer.WriteLine(string.Create(culture, $"Sandbox   refused {refused.Sum(s => s.SandboxRefusals)} operation(s) outside what the processes may do ({perStep}); the run log's warnings name the first of each"));
        }

        if (result.Usage is { } usage)
        {
            writer.WriteLine(string.Create(culture, $"Usage     {usage.InputTokens} input tokens, {usage.OutputTokens} output tokens{(usage.CostUsd is { } cost ? $", ${cost:0.####}" : "")}"));
        }

        if (result.Implementations.Count > 0)
        {
            writer.WriteLine($"Spend     {Budgets.SpendText.Describe(result.Spend)}");
            foreach (var attempt in result.Implementations.Where(_ => result.Implementations.Count > 1))
            {
                writer.WriteLine(string.Create(culture, $"          {"attempt " + attempt.Attempt,-18} {Budgets.SpendText.Describe(attempt.Spend)}"));
            }
        }

        writer.WriteLine("Artifacts");
        foreach (var artifact in result.Artifacts)
        {
            writer.WriteLine(string.Create(culture, $"          {artifact.Name,-18} {artifact.Uri?.ToString() ?? "NOT UPLOADED, kept at " + artifact.LocalPath}"));
            if (artifact.Uri is { } uri && links?.GetValueOrDefault(uri) is { } link)
            {
                writer.WriteLine(string.Create(culture, $"          {"",-18} download until {link.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm}Z: {link.Uri.AbsoluteUri}"));
            }
        }

        if (result.Error is { } error)
        {
            writer.WriteLine(string.Create(culture, $"Error     [{error.Step}] {error.Message}"));
        }
    }

    /// <summary>The comparison with the baseline: the count of each class, then what fails the run (the first 10).</summary>
    private static void WriteComparison(TextWriter writer, TestComparison? comparison)
    {
        if (comparison is null)
        {
            return;
        }

        var counts = string.Join(", ", comparison.Counts.Select(p => $"{p.Value.ToString(CultureInfo.InvariantCulture)} {TestExecution.TestComparer.Describe(p.Key)}"));
        var commit = comparison.BaseCommit.Length > 12 ? comparison.BaseCommit[..12] : comparison.BaseCommit;
        writer.WriteLine($"Baseline  {commit}{(comparison.BaselineCached ? " (cached)" : "")}: {(counts.Length > 0 ? counts : "compared by exit code")}");
        foreach (var test in comparison.Blocking.Take(10))
        {
            writer.WriteLine($"          {TestExecution.TestComparer.Describe(test.Class),-13} {test.Name}");
        }
    }

    /// <summary>"peak memory 12.5 MiB, CPU time 3.2 s", leaving out what was not measured.</summary>
    private static string Resources(long? peakMemoryBytes, TimeSpan? cpuTime)
    {
        var parts = new List<string>(2);
        if (peakMemoryBytes is { } peak)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"peak memory {peak / (1024.0 * 1024.0):0.0} MiB"));
        }

        if (cpuTime is { } cpu)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"CPU time {cpu.TotalSeconds:0.0} s"));
        }

        return string.Join(", ", parts);
    }
}

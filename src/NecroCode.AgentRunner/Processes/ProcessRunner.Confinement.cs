using System.Collections.Concurrent;
using System.Globalization;
using NecroCode.AgentRunner.Sandboxing;

namespace NecroCode.AgentRunner.Processes;

internal sealed partial class ProcessRunner
{
    private readonly ConcurrentDictionary<string, bool> _announcedRuns = new(StringComparer.Ordinal);

    private static LandlockRuleset CreateRuleset(string program, ConfinedLaunch confinement)
    {
        try
        {
            return LandlockRuleset.Create(confinement.Policy, confinement.LandlockAbi);
        }
        catch (InvalidOperationException ex)
        {
            throw new ProcessStartException(program, "its Landlock ruleset could not be built: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Says once a run (each time outside a run) in the runner's log how its processes are confined, also when nothing
    /// confines them but the container they run in (a container's run is the same run as a local one: no event of its own).
    /// </summary>
    private void Announce(ProcessSpec spec, ConfinedLaunch? confinement)
    {
        if (confinement is null)
        {
            return;
        }

        if (RunTrace.Current is { } run)
        {
            if (_announcedRuns.Count > 1024)
            {
                _announcedRuns.Clear();
            }

            if (!_announcedRuns.TryAdd(run + confinement.MechanismName, true))
            {
                return;
            }
        }

        var policy = confinement.Policy;
        if (confinement.Mechanism == SandboxMechanism.None)
        {
            Log.UnconfinedInContainer(_logger, spec.StepName);
            return;
        }

        Log.Sandboxed(_logger, spec.StepName, confinement.MechanismName, policy.Writable[0], policy.Writable.Count - 2, policy.Hidden.Count, policy.Network);
    }

    /// <summary>Counts the refusals a confined tree reported into the step's figures and says so in the run's events.</summary>
    private static void ReportRefusals(ProcessSpec spec, ConfinedLaunch? confinement, RefusalCountingSink? refusals)
    {
        if (confinement is null || refusals is not { Count: > 0 and var count })
        {
            return;
        }

        ProcessUsageScope.RecordRefusals(count);
        spec.Events?.Publish(new RunWarning(
            spec.StepName,
            string.Create(CultureInfo.InvariantCulture, $"The sandbox ({confinement.MechanismName}) refused {count} operation(s) of '{spec.FileName}' outside the workspace; first: {refusals.First}")));
    }
}

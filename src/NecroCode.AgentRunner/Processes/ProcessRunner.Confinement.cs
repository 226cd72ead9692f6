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

    /// <summary>Says in the run's events, once a run (each time outside a run), how its processes are confined.</summary>
    private void Announce(ProcessSpec spec, ConfinedLaunch? confinement)
    {
        if (confinement is null || spec.Events is not { } events)
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
        var message = confinement.Mechanism == SandboxMechanism.None
            ? "Sandbox: none (NecroCode:Sandbox:Mode Off, or no mechanism inside this container); the agent and the tests are not confined by the runner."
            : string.Create(
                CultureInfo.InvariantCulture,
                $"Sandbox: {confinement.MechanismName}; writes confined to {policy.Writable[0]}, a private temporary folder and {policy.Writable.Count - 2} extra path(s); {policy.Hidden.Count} path(s) of the runner's state and secrets hidden; network {policy.Network.ToString().ToLowerInvariant()}.");
        events.Publish(new RunWarning(spec.StepName, message));
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

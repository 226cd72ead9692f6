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
    /// Says once a run for each step and mechanism how the step's processes are confined (<see cref="SandboxApplied"/>),
    /// also when nothing confines them; outside a run, in the runner's log each time.
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

            if (!_announcedRuns.TryAdd($"{run}/{spec.StepName}/{confinement.MechanismName}", true))
            {
                return;
            }
        }

        var policy = confinement.Policy;
        var network = policy.Network.ToString().ToLowerInvariant();
        var note = confinement.Unconfined ?? (confinement.Egress is not null ? "allowed hosts: " + _sandbox!.AllowedHostsText : null);
        if (spec.Events is { } events)
        {
            events.Publish(new SandboxApplied(spec.StepName, confinement.MechanismName, network, note));
        }
        else if (confinement.Mechanism == SandboxMechanism.None)
        {
            Log.Unconfined(_logger, spec.StepName, confinement.Unconfined ?? "");
        }
        else
        {
            Log.Sandboxed(_logger, spec.StepName, confinement.MechanismName, policy.Writable[0], policy.Writable.Count - 2, policy.Hidden.Count, network);
        }
    }

    /// <summary>Counts the refusals a confined tree reported (and its proxy made) into the step's figures and says so in the run's events.</summary>
    private static void ReportRefusals(ProcessSpec spec, ConfinedLaunch? confinement, RefusalCountingSink? refusals)
    {
        if (confinement is null)
        {
            return;
        }

        if (refusals is { Count: > 0 and var count })
        {
            ProcessUsageScope.RecordRefusals(count);
            spec.Events?.Publish(new RunWarning(
                spec.StepName,
                string.Create(CultureInfo.InvariantCulture, $"The sandbox ({confinement.MechanismName}) refused {count} operation(s) of '{spec.FileName}' outside the workspace; first: {refusals.First}")));
        }

        if (confinement.Egress is ({ Refused: > 0 and var connections } proxy, _))
        {
            ProcessUsageScope.RecordRefusals(connections);
            spec.Events?.Publish(new RunWarning(
                spec.StepName,
                string.Create(CultureInfo.InvariantCulture, $"The sandbox refused {connections} connection(s) of '{spec.FileName}' to hosts not in NecroCode:Sandbox:AllowedHosts; first: {proxy.FirstRefused}")));
        }
    }
}

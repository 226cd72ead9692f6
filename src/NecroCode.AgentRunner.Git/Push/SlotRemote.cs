using LibGit2Sharp;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// The remote's URLs as the slot's configuration gave them when it was prepared, before the agent ran: the
/// runner's fetches and pushes go to these, whatever the agent writes into the configuration afterwards.
/// </summary>
/// <param name="Name">The remote's name (<see cref="AgentRunnerOptions.Remote"/>).</param>
/// <param name="FetchUrl">Its <c>url</c>.</param>
/// <param name="PushUrl">Its <c>pushurl</c> when one was configured, else its <c>url</c>.</param>
internal sealed record SlotRemote(string Name, string FetchUrl, string PushUrl)
{
    /// <summary>Where fetches go.</summary>
    /// <param name="secrets">The run's secrets.</param>
    /// <returns>The endpoint.</returns>
    public GitEndpoint Fetch(IRunSecrets secrets) => new(Name, FetchUrl, secrets);

    /// <summary>Reads the remote's URL from a slot's configuration (as written there, before any rewriting).</summary>
    /// <param name="repository">The slot's repository.</param>
    /// <param name="name">The remote's name.</param>
    /// <param name="path">The slot's path, for the message.</param>
    /// <returns>The remote.</returns>
    /// <exception cref="WorkspaceException">The slot has no such remote.</exception>
    public static SlotRemote Read(Repository repository, string name, string path)
    {
        var url = repository.Config.Get<string>($"remote.{name}.url")?.Value;
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new WorkspaceException($"The workspace '{path}' has no remote '{name}' (no remote.{name}.url in its git configuration).");
        }

        // Recovery removes a pushurl an earlier run planted before the slot is prepared, so one read here is the
        // configuration's own (a host reading a slot it did not prepare, e.g. to verify a push, honours it).
        var pushUrl = repository.Config.Get<string>($"remote.{name}.pushurl")?.Value;
        return new SlotRemote(name, url, string.IsNullOrWhiteSpace(pushUrl) ? url : pushUrl);
    }

    /// <summary>Where pushes go (and the fetch that inspects a rejected push's remote branch).</summary>
    /// <param name="secrets">The run's secrets.</param>
    /// <returns>The endpoint.</returns>
    public GitEndpoint Push(IRunSecrets secrets) => new(Name, PushUrl, secrets);
}

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

    /// <summary>Where pushes go (and the fetch that inspects a rejected push's remote branch).</summary>
    /// <param name="secrets">The run's secrets.</param>
    /// <returns>The endpoint.</returns>
    public GitEndpoint Push(IRunSecrets secrets) => new(Name, PushUrl, secrets);
}

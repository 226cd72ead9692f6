namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Where one fetch or push goes: the URL recorded for the remote when the slot was prepared (never the remote's
/// name, whose configuration the agent could have changed since), and the run's secrets that authenticate it.
/// </summary>
/// <param name="Remote">The remote's name, for messages.</param>
/// <param name="Url">The URL git is given on its command line.</param>
/// <param name="Secrets">The run's secrets (the HTTPS token).</param>
internal sealed record GitEndpoint(string Remote, string Url, IRunSecrets Secrets);

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>What the remote said about a reported push (<see cref="RemotePushVerifier.VerifyAsync"/>).</summary>
/// <param name="Refusal">Why the push is not believed; null when the remote has the branch at the reported commit.</param>
public sealed record RemotePushCheck(string? Refusal)
{
    /// <summary>The remote has the branch at the reported commit.</summary>
    public static RemotePushCheck Confirmed { get; } = new((string?)null);

    /// <summary>Whether the remote confirmed the push.</summary>
    public bool IsConfirmed => Refusal is null;

    /// <summary>The push is not believed, for <paramref name="reason"/>.</summary>
    /// <param name="reason">Why, as a clause ("the branch 'x' does not exist at the remote").</param>
    /// <returns>The refusal.</returns>
    public static RemotePushCheck Refused(string reason) => new(reason ?? throw new ArgumentNullException(nameof(reason)));
}

using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner.Credentials;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// Asks the remote itself whether a push a run out of process reported is there: which commit the branch points to,
/// from the host's own slot (never the run's copy, whose configuration the agent could change). Through the registered
/// <see cref="IRemoteBranchReader"/>, authenticated with the host's own copy of the run's secret files, when there is one;
/// else by a plain <c>git ls-remote</c> without credentials. Each check is bounded by 2 minutes; every failure is a reason.
/// </summary>
public sealed partial class RemotePushVerifier
{
    /// <summary>Longest wait for the remote when the host checks a reported push.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly RemoteSecretFolder _secrets;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ISecretMasker? _masker;
    private readonly IRemoteBranchReader? _remoteBranches;

    /// <summary>Creates the verifier.</summary>
    /// <param name="secrets">The secret files the run gets; the host reads its token from them for the check.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger (an authentication failure is Critical, event 8013).</param>
    /// <param name="masker">Learns the secrets the host reads and masks the remote's errors; optional.</param>
    /// <param name="remoteBranches">Asks the remote with credentials; optional (<c>UseGit()</c> registers one).</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public RemotePushVerifier(RemoteSecretFolder secrets, TimeProvider timeProvider, ILogger logger, ISecretMasker? masker = null, IRemoteBranchReader? remoteBranches = null)
    {
        _secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _masker = masker;
        _remoteBranches = remoteBranches;
    }

    /// <summary>Asks the remote whether <paramref name="branch"/> there is <paramref name="commitId"/>.</summary>
    /// <param name="slotPath">The host's slot of the task (a clone whose configuration names the remote).</param>
    /// <param name="remote">The remote's name, as the run reported it.</param>
    /// <param name="branch">The reported branch.</param>
    /// <param name="commitId">The reported commit.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns>Confirmed, or refused with the reason (a missing branch, another commit, no answer, a refused token …).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<RemotePushCheck> VerifyAsync(string slotPath, string remote, string branch, string commitId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slotPath);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(branch);
        ArgumentNullException.ThrowIfNull(commitId);
        var refusal = await RefusalAsync(slotPath, remote, branch, commitId, cancellationToken).ConfigureAwait(false);
        return refusal is null ? RemotePushCheck.Confirmed : RemotePushCheck.Refused(refusal);
    }

    private async Task<string?> RefusalAsync(string slotPath, string remote, string branch, string commit, CancellationToken cancellationToken)
    {
        if (_remoteBranches is null)
        {
            try
            {
                return await OriginBranchCheck.CheckAsync(slotPath, remote, branch, commit, Timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                return $"git could not be run on the host to ask the remote ({ex.Message})";
            }
        }

        using var deadline = new CancellationTokenSource(Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        RunCredentials? credentials = null;
        try
        {
            credentials = await _secrets.OpenCredentialsAsync(_masker, _logger, linked.Token).ConfigureAwait(false);
            var actual = await _remoteBranches.ReadBranchAsync(slotPath, branch, (IRunSecrets?)credentials ?? RunSecrets.None, linked.Token).ConfigureAwait(false);
            if (actual is null)
            {
                return $"the branch '{branch}' does not exist at the remote";
            }

            return string.Equals(actual, commit, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"the branch '{branch}' at the remote is {actual}, not the reported commit {commit}";
        }
        catch (CredentialException ex)
        {
            return $"the host could not read its secret files to ask the remote ({Mask(ex.Message)})";
        }
        catch (RemoteAuthenticationException ex)
        {
            var message = Mask(ex.Message);
            Log.HostAuthenticationFailed(_logger, ex.Remote, message);
            return $"the host could not authenticate to the remote '{ex.Remote}' to check the push (the host's token comes from the secret files of " +
                $"{_secrets.Setting}, as the container's does, else from NecroCode:Git:TokenFile/TokenVariable): {message}";
        }
        catch (WorkspaceException ex)
        {
            return $"the host could not ask the remote which commit '{branch}' is at ({Mask(ex.Message)})";
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"the remote did not answer within {Timeout}";
        }
        finally
        {
            if (credentials is not null)
            {
                credentials.StopMasking();
                await credentials.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private string Mask(string text) => _masker is null ? text : _masker.Apply(text);
}

using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Docker;

public sealed partial class DockerExecutionEnvironment
{
    /// <summary>
    /// Why the remote does not confirm the reported push, or null when <paramref name="branch"/> there is
    /// <paramref name="commit"/>. Asked from the host's own slot (never the container's copy): through the registered
    /// <see cref="IRemoteBranchReader"/> with the host's credentials when there is one, else a plain <c>git ls-remote</c>.
    /// </summary>
    private async Task<string?> RemoteRefusalAsync(string slotPath, string remote, string branch, string commit, CancellationToken cancellationToken)
    {
        if (_remoteBranches is null)
        {
            try
            {
                return await OriginBranchCheck.CheckAsync(slotPath, remote, branch, commit, RemoteCheckTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                return $"git could not be run on the host to ask the remote ({ex.Message})";
            }
        }

        using var deadline = new CancellationTokenSource(RemoteCheckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        RunCredentials? credentials = null;
        try
        {
            credentials = await OpenHostCredentialsAsync(linked.Token).ConfigureAwait(false);
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
                $"NecroCode:Docker:SecretsPath, as the container's does, else from NecroCode:Git:TokenFile/TokenVariable): {message}";
        }
        catch (WorkspaceException ex)
        {
            return $"the host could not ask the remote which commit '{branch}' is at ({Mask(ex.Message)})";
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"the remote did not answer within {RemoteCheckTimeout}";
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

    /// <summary>
    /// The host's copy of the run's credentials: the secret files of <see cref="DockerOptions.SecretsPath"/> (the names the
    /// container gets), read by the runner's own secret-file reader (links kept inside the folder, size-limited) and
    /// registered with the masker; null without a secrets folder. Wiped by the caller as soon as the check is done.
    /// </summary>
    private async Task<RunCredentials?> OpenHostCredentialsAsync(CancellationToken cancellationToken)
    {
        var names = SecretNames();
        if (names.Count == 0)
        {
            return null;
        }

        var provider = new SecretFileCredentialProvider(Options.Create(new CredentialOptions { SecretDirectory = _options.SecretsPath }));
        return await RunCredentials.OpenAsync(provider, [], names, _masker ?? new SecretMasker(), _logger, cancellationToken).ConfigureAwait(false);
    }
}

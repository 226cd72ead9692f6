using System.ComponentModel.DataAnnotations;

namespace NecroCode.AgentRunner.Git;

/// <summary>Settings of the git workspace manager. The main branch and remote come from <see cref="AgentRunnerOptions"/>.</summary>
public sealed class GitOptions
{
    /// <summary>The configuration section these options bind to: <c>NecroCode:Git</c>.</summary>
    public const string SectionName = "NecroCode:Git";

    /// <summary>The git executable used for network transfer, staging, checkout and diffs. Default <c>git</c> (from PATH).</summary>
    [Required]
    public string GitExecutable { get; set; } = "git";

    /// <summary>Author and committer name of the runner's commits. Default <c>NecroCode Runner</c>.</summary>
    [Required]
    public string AuthorName { get; set; } = "NecroCode Runner";

    /// <summary>Author and committer e-mail of the runner's commits. Default <c>runner@necrocode.local</c>.</summary>
    [Required]
    public string AuthorEmail { get; set; } = "runner@necrocode.local";

    /// <summary>Attempts of a push, the first included; transient failures are retried. Default 3.</summary>
    [Range(1, 20)]
    public int PushAttempts { get; set; } = 3;

    /// <summary>Attempts of a fetch, the first included. Default 3.</summary>
    [Range(1, 20)]
    public int FetchAttempts { get; set; } = 3;

    /// <summary>Base delay of the exponential backoff (with jitter) between attempts. Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest one network command (fetch or push) may run before it is stopped and counted as a transient failure. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest one local git command (checkout, add, diff …) may run. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The name of the run's secret (<see cref="WorkspaceRequest.Secrets"/>, <see cref="PushRequest.Secrets"/>) holding
    /// the token for HTTPS remotes. Default <c>git-token</c>. When the run holds it, it wins over
    /// <see cref="TokenFile"/> and <see cref="TokenVariable"/>. The token reaches git only through the environment of
    /// the git child process, as an <c>Authorization</c> header scoped to origin's URL (never in the remote URL,
    /// <c>.git/config</c>, a credential helper or the command line).
    /// </summary>
    [Required]
    public string TokenSecret { get; set; } = "git-token";

    /// <summary>
    /// The environment variable holding the token for HTTPS remotes when the run's secrets hold none
    /// (<see cref="TokenSecret"/>) and no <see cref="TokenFile"/> is set. Default <c>NECROCODE_GIT_TOKEN</c>.
    /// </summary>
    [Required]
    public string TokenVariable { get; set; } = "NECROCODE_GIT_TOKEN";

    /// <summary>
    /// Path of a file holding the token for HTTPS remotes (a mounted secret) when the run's secrets hold none
    /// (<see cref="TokenSecret"/>); read before every network operation, so a rotated token is picked up. Takes
    /// precedence over <see cref="TokenVariable"/>. Default: none.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// A repository URL to start an empty slot from: when the task's slot is an empty folder, the runner makes it a
    /// repository whose remote (<c>NecroCode:Runner:Remote</c>) is this URL, then prepares it as any slot — the main branch
    /// fetched with the run's own credentials (<see cref="TokenSecret"/>). For runners whose workspace starts empty (a
    /// cluster pod); a slot folder another user owns (a volume mounted by the cluster) is added to <c>safe.directory</c> of
    /// the runner's global git configuration. Default none: an empty slot is refused as not a repository.
    /// </summary>
    public string? CloneUrl { get; set; }

    /// <summary>The user name sent with the token (HTTP Basic). Default <c>x-access-token</c>.</summary>
    [Required]
    public string Username { get; set; } = "x-access-token";

    /// <summary>
    /// Branch patterns the runner never pushes to, in addition to the main branch. <c>*</c> matches
    /// within one path segment, <c>**</c> across segments. Default <c>main</c>, <c>master</c>, <c>release/*</c>.
    /// Bound configuration adds to the defaults; call <c>Clear()</c> in code to replace them.
    /// </summary>
    public IList<string> ProtectedBranches { get; } = ["main", "master", "release/*"];

    /// <summary>
    /// Patterns (gitignore syntax, as for <c>git clean -e</c>) of ignored files that slot recovery keeps,
    /// such as build caches (<c>node_modules/</c>, <c>obj/</c>). Default: none, every ignored file is removed.
    /// </summary>
    public IList<string> KeepIgnoredFiles { get; } = [];
}

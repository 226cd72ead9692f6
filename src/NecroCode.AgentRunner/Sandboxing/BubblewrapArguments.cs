namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>
/// The bubblewrap command line for a <see cref="SandboxPolicy"/>: the file system read-only (or only the readable folders),
/// <c>/dev</c> as the host's with a private <c>/dev/shm</c>, an empty read-only folder over each hidden folder
/// (<c>/dev/null</c> over a hidden file), the writable folders bound read-write on top, and a network namespace of its own for
/// <see cref="SandboxNetwork.None"/> and <see cref="SandboxNetwork.Hosts"/>, with an empty <c>/run</c> (the services' Unix
/// sockets). Nothing else is unshared, so the runner still sees (and stops) the processes.
/// </summary>
internal static class BubblewrapArguments
{
    /// <summary>The arguments that precede the program (which follows a <c>--</c>).</summary>
    public static List<string> Build(SandboxPolicy policy, string workingDirectory)
    {
        var arguments = new List<string>();
        if (policy.Readable is null)
        {
            arguments.AddRange(["--ro-bind", "/", "/"]);
        }
        else
        {
            arguments.AddRange(["--tmpfs", "/"]);
            foreach (var path in policy.Readable)
            {
                arguments.AddRange(["--ro-bind-try", path, path]);
            }
        }

        arguments.AddRange(["--dev-bind", "/dev", "/dev", "--tmpfs", "/dev/shm"]);
        if (policy.Network is SandboxNetwork.None or SandboxNetwork.Hosts)
        {
            // A network namespace does not cover Unix sockets: the services' sockets under /run (the Docker engine's, the
            // user's session bus) would still lead out. An empty /run in their place.
            arguments.AddRange(["--tmpfs", "/run"]);
        }

        foreach (var path in policy.Hidden.Where(h => policy.Readable is null || policy.Readable.Any(r => SandboxPolicy.IsWithin(h, r))))
        {
            if (!Directory.Exists(path))
            {
                arguments.AddRange(["--ro-bind", "/dev/null", path]);
                continue;
            }

            // An empty, read-only folder, with the mount points of the writable folders inside it made before it turns read-only.
            arguments.AddRange(["--tmpfs", path]);
            foreach (var inside in policy.Writable.Where(w => w != path && SandboxPolicy.IsWithin(w, path)))
            {
                arguments.AddRange(["--dir", inside]);
            }

            arguments.AddRange(["--remount-ro", path]);
        }

        foreach (var path in policy.Writable.OrderBy(p => p.Length))
        {
            arguments.AddRange(["--bind", path, path]);
        }

        if (policy.Network is SandboxNetwork.None or SandboxNetwork.Hosts)
        {
            arguments.Add("--unshare-net");
        }

        arguments.AddRange(["--chdir", workingDirectory, "--"]);
        return arguments;
    }
}

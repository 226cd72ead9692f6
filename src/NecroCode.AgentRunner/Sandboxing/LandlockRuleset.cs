using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>
/// A Landlock ruleset built from a <see cref="SandboxPolicy"/>, open as a descriptor until disposed: every file-system
/// access of the kernel's ABI is handled, reading (execute, read files, list folders) is allowed beneath the read grants,
/// everything beneath the writable folders, and reading and writing on the usual device files; with network
/// <see cref="SandboxNetwork.None"/> TCP connect and bind are handled with no rule, so both are refused.
/// </summary>
internal sealed class LandlockRuleset : IDisposable
{
    private const int PathOnly = 0x200000; // O_PATH
    private const int NoFollow = 0x20000; // O_NOFOLLOW

    private LandlockRuleset(int descriptor) => Descriptor = descriptor;

    /// <summary>The ruleset's descriptor.</summary>
    public int Descriptor { get; private set; }

    /// <summary>Builds the ruleset for <paramref name="policy"/> on a kernel of ABI <paramref name="abi"/>.</summary>
    /// <exception cref="InvalidOperationException">The kernel refused the ruleset or a rule.</exception>
    public static LandlockRuleset Create(SandboxPolicy policy, int abi)
    {
        var all = LandlockNative.AllFileSystemAccesses(abi);
        var network = policy.Network == SandboxNetwork.None ? LandlockNative.BindTcp | LandlockNative.ConnectTcp : 0UL;
        var ruleset = new LandlockRuleset(LandlockNative.CreateRulesetDescriptor(all, network));
        try
        {
            var read = (LandlockNative.Execute | LandlockNative.ReadFile | LandlockNative.ReadDirectory) & all;
            foreach (var (path, isFolder) in policy.ReadGrants(policy.Readable ?? ["/"]))
            {
                ruleset.Allow(path, isFolder, read | (LandlockNative.IoctlDevice & all), required: false);
            }

            foreach (var device in SandboxPolicy.Devices)
            {
                ruleset.Allow(device, Directory.Exists(device), read | ((LandlockNative.WriteFile | LandlockNative.Truncate | LandlockNative.IoctlDevice) & all), required: false);
            }

            foreach (var path in policy.Writable)
            {
                ruleset.Allow(path, isFolder: Directory.Exists(path), all, required: true);
            }

            return ruleset;
        }
        catch
        {
            ruleset.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Descriptor >= 0)
        {
            _ = Libc.close(Descriptor);
            Descriptor = -1;
        }
    }

    private void Allow(string path, bool isFolder, ulong access, bool required)
    {
        var fd = Libc.open(UnixFile.PathBytes(path), PathOnly | NoFollow | Libc.CloseOnExec, 0);
        if (fd < 0)
        {
            // A read grant on an entry that vanished since the walk, or a device this machine lacks, is simply not given.
            if (required)
            {
                throw new InvalidOperationException($"'{path}' cannot be opened for a Landlock rule.");
            }

            return;
        }

        try
        {
            var granted = isFolder ? access : access & LandlockNative.FileAccesses;
            if (!LandlockNative.TryAddPathRule(Descriptor, fd, granted) && required)
            {
                throw new InvalidOperationException($"The kernel refused a Landlock rule on '{path}'.");
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }
}

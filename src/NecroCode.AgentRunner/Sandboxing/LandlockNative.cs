using System.Runtime.InteropServices;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>
/// The kernel's Landlock calls (<c>landlock_create_ruleset</c>, <c>landlock_add_rule</c>, <c>landlock_restrict_self</c>,
/// the same numbers on every Linux architecture .NET runs on) and <c>prctl(PR_SET_NO_NEW_PRIVS)</c>.
/// </summary>
internal static class LandlockNative
{
    public const ulong Execute = 1UL << 0;
    public const ulong WriteFile = 1UL << 1;
    public const ulong ReadFile = 1UL << 2;
    public const ulong ReadDirectory = 1UL << 3;
    public const ulong RemoveDirectory = 1UL << 4;
    public const ulong RemoveFile = 1UL << 5;
    public const ulong MakeCharacterDevice = 1UL << 6;
    public const ulong MakeDirectory = 1UL << 7;
    public const ulong MakeRegular = 1UL << 8;
    public const ulong MakeSocket = 1UL << 9;
    public const ulong MakeFifo = 1UL << 10;
    public const ulong MakeBlockDevice = 1UL << 11;
    public const ulong MakeSymlink = 1UL << 12;
    public const ulong Refer = 1UL << 13;
    public const ulong Truncate = 1UL << 14;
    public const ulong IoctlDevice = 1UL << 15;

    public const ulong BindTcp = 1UL << 0;
    public const ulong ConnectTcp = 1UL << 1;

    /// <summary>The accesses a rule on a file (not a directory) may carry.</summary>
    public const ulong FileAccesses = Execute | WriteFile | ReadFile | Truncate | IoctlDevice;

    private const long CreateRuleset = 444;
    private const long AddRule = 445;
    private const long RestrictSelf = 446;
    private const uint CreateRulesetVersion = 1;
    private const int RulePathBeneath = 1;
    private const int SetNoNewPrivileges = 38;

    /// <summary>The Landlock ABI version of the running kernel; 0 when it has none (or it is disabled, or this is not Linux).</summary>
    public static int AbiVersion()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            var version = syscall(CreateRuleset, 0, 0, CreateRulesetVersion);
            return version < 0 ? 0 : (int)version;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Every file-system access the ABI <paramref name="abi"/> knows.</summary>
    public static ulong AllFileSystemAccesses(int abi) =>
        ((1UL << 13) - 1) | (abi >= 2 ? Refer : 0) | (abi >= 3 ? Truncate : 0) | (abi >= 5 ? IoctlDevice : 0);

    /// <summary>Creates a ruleset handling <paramref name="fileSystem"/> and <paramref name="network"/>; returns its descriptor.</summary>
    public static int CreateRulesetDescriptor(ulong fileSystem, ulong network)
    {
        // struct landlock_ruleset_attr { __u64 handled_access_fs; __u64 handled_access_net; } — the second field only
        // from ABI 4 on; an older kernel refuses a larger struct, so it is passed only when used.
        var attributes = Marshal.AllocHGlobal(16);
        try
        {
            Marshal.WriteInt64(attributes, 0, (long)fileSystem);
            Marshal.WriteInt64(attributes, 8, (long)network);
            var fd = syscall(CreateRuleset, attributes, network == 0 ? 8 : 16, 0);
            return fd < 0 ? throw Failure("landlock_create_ruleset") : (int)fd;
        }
        finally
        {
            Marshal.FreeHGlobal(attributes);
        }
    }

    /// <summary>Allows <paramref name="access"/> beneath the file or folder open as <paramref name="pathDescriptor"/>.</summary>
    public static bool TryAddPathRule(int ruleset, int pathDescriptor, ulong access)
    {
        // struct landlock_path_beneath_attr { __u64 allowed_access; __s32 parent_fd; } __attribute__((packed)).
        var rule = Marshal.AllocHGlobal(12);
        try
        {
            Marshal.WriteInt64(rule, 0, (long)access);
            Marshal.WriteInt32(rule, 8, pathDescriptor);
            return syscall(AddRule, ruleset, RulePathBeneath, rule, 0) == 0;
        }
        finally
        {
            Marshal.FreeHGlobal(rule);
        }
    }

    /// <summary>Sets no_new_privs and enforces the ruleset on the calling thread (and on every process it starts from then on).</summary>
    public static void RestrictCallingThread(int ruleset)
    {
        if (prctl(SetNoNewPrivileges, 1, 0, 0, 0) != 0)
        {
            throw Failure("prctl(PR_SET_NO_NEW_PRIVS)");
        }

        if (syscall(RestrictSelf, ruleset, 0, 0) != 0)
        {
            throw Failure("landlock_restrict_self");
        }
    }

    private static InvalidOperationException Failure(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new InvalidOperationException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
    }

#pragma warning disable SA1300, IDE1006 // Native names.
    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, nint first, nint second, uint third);

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, nint first, nint second, nint third, uint fourth);

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, ulong second, ulong third, ulong fourth, ulong fifth);
#pragma warning restore SA1300, IDE1006
}

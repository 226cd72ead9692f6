using System.Globalization;
using System.Text;

namespace NecroCode.AgentRunner.Tests.Processes;

/// <summary>A temp folder for scripts, removed on dispose; plus helpers to look at processes through /proc.</summary>
public sealed class TestDirectory : IDisposable
{
    public TestDirectory() => Path = Directory.CreateTempSubdirectory("necrocode-proc-test-").FullName;

    public string Path { get; }

    public string WriteScript(string name, string body)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    /// <summary>Live (non-zombie) processes whose environment holds <paramref name="name"/>=<paramref name="value"/>.</summary>
    public static List<int> LiveProcessesWithVariable(string name, string value)
    {
        var entry = Encoding.UTF8.GetBytes(name + "=" + value);
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllBytes(dir + "/environ");
                var stat = File.ReadAllText(dir + "/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..][0];
                if (state != 'Z' && state != 'X' && environ.AsSpan().IndexOf(entry) >= 0)
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state != 'Z' && state != 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }
}

namespace NecroCode.AgentRunner.TestUtilities;

/// <summary>
/// A fresh folder under the system temp folder for one test, removed with everything in it on dispose (also
/// read-only files and folders a test made unwritable). A folder that cannot be removed (a process of a failed
/// test still holds it) is left to the system's temp cleaner instead of failing the test.
/// </summary>
public sealed class TempFolder : IDisposable
{
    private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder.</summary>
    /// <param name="prefix">The start of its name, naming the tests that use it.</param>
    public TempFolder(string prefix = "necrocode-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder (absolute).</summary>
    public string Path { get; }

    /// <summary>A path inside the folder; nothing is created.</summary>
    /// <param name="parts">The path's parts below the folder.</param>
    /// <returns>The combined path.</returns>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Creates a folder inside the folder (and its parents).</summary>
    /// <param name="relativePath">The folder, relative to this one.</param>
    /// <returns>Its full path.</returns>
    public string CreateFolder(string relativePath) => Directory.CreateDirectory(Combine(relativePath)).FullName;

    /// <summary>Writes a text file inside the folder, creating its parent folders.</summary>
    /// <param name="relativePath">The file, relative to the folder.</param>
    /// <param name="content">Its content (UTF-8 without a byte-order mark).</param>
    /// <returns>Its full path.</returns>
    public string WriteFile(string relativePath, string content)
    {
        var path = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes an executable <c>/bin/sh</c> script (the <c>#!</c> line is added; line ends become <c>\n</c>).</summary>
    /// <param name="relativePath">The script, relative to the folder.</param>
    /// <param name="body">The script's commands.</param>
    /// <returns>Its full path.</returns>
    public string WriteScript(string relativePath, string body)
    {
        var path = WriteFile(relativePath, "#!/bin/sh\n" + body.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>Removes the folder and everything in it, best effort.</summary>
    public void Dispose()
    {
        try
        {
            MakeRemovable(Path);
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already removed by the test.
        }
        catch (IOException)
        {
            // A process of a failed test may still hold a file; the system's temp cleaner takes the rest.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise: a leftover temp folder must not fail a test.
        }
    }

    private static void MakeRemovable(string root)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, OwnerAll);
            foreach (var folder in Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true }))
            {
                File.SetUnixFileMode(folder, OwnerAll);
            }
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true }))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }
    }
}

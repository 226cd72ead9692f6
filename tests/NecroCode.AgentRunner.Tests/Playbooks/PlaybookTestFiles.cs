using NecroCode.AgentRunner.Playbooks;
namespace NecroCode.AgentRunner.Tests.Playbooks;

/// <summary>A temp folder for playbook files and workspaces, removed on dispose.</summary>
internal sealed class PlaybookTestFiles : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("necrocode-playbook-").FullName;

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Folder(string relative)
    {
        var path = Path.Combine(Root, relative);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NecroCode.AgentRunner.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace NecroCode.AgentRunner.Processes;

/// <summary>A child started through <see cref="Process"/>, behind the session wrapper when one is given.</summary>
internal sealed class ManagedChildProcess : ChildProcess
{
    private readonly Process _process;

    private ManagedChildProcess(Process process, bool leadsGroup)
    {
        _process = process;
        LeadsGroup = leadsGroup;
    }

    public override int Id => _process.Id;

    public override bool LeadsGroup { get; }

    public override Stream StandardInput => _process.StandardInput.BaseStream;

    public override Stream StandardOutput => _process.StandardOutput.BaseStream;

    public override Stream StandardError => _process.StandardError.BaseStream;

    public override bool HasExited => _process.HasExited;

    public override int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="program"/>, through <paramref name="sessionWrapper"/> when it is not null.</summary>
    /// <exception cref="ProcessStartException">The program could not be started.</exception>
    public static ManagedChildProcess Start(string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, string? sessionWrapper)
    {
        var info = new ProcessStartInfo
        {
            FileName = sessionWrapper ?? program,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        if (sessionWrapper is not null)
        {
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new ProcessStartException(program, ex.Message, ex);
        }

        return new ManagedChildProcess(process, sessionWrapper is not null);
    }

    public override Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public override void Dispose() => _process.Dispose();
}

using System.CommandLine;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>The options every command shares; each maps onto a configuration key (docs/configuration.md).</summary>
internal sealed class HostOptions
{
    public Option<FileInfo?> Config { get; } = new("--config") { Description = "A JSON settings file (root section \"NecroCode\")." };

    public Option<string?> LogLevel { get; } = new("--log-level") { Description = "Trace, Debug, Information, Warning, Error, Critical or None. Default Warning." };

    public Option<string?> LogFormat { get; } = new("--log-format") { Description = "text or json. Default text." };

    public Option<string?> Root { get; } = new("--root") { Description = "Folder of the file-system registry, slots and artifacts (NecroCode:FileSystem:RootPath)." };

    public Option<string?> AgentCommand { get; } = new("--agent-command") { Description = "Program the command agent runs (NecroCode:Agent:Command)." };

    public Option<string[]> AgentArguments { get; } = new("--agent-arg") { Description = "An argument of the agent program; repeat for several (NecroCode:Agent:Arguments).", AllowMultipleArgumentsPerToken = false };

    public Option<string?> MainBranch { get; } = new("--main-branch") { Description = "The repository's main branch (NecroCode:Runner:MainBranch)." };

    public Option<string?> BranchTemplate { get; } = new("--branch-template") { Description = "Template of the task branch (NecroCode:Runner:BranchTemplate)." };

    public Option<string[]> Settings { get; } = new("--set") { Description = "Any setting as key=value, e.g. NecroCode:Git:PushAttempts=5; repeatable; wins over the named options." };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print only the summary, not live progress." };

    public Option<int?> HealthPort { get; } = new("--health-port") { Description = "Serve /healthz and /readyz on this port while the host runs (for Kubernetes probes)." };

    public Option<string?> HealthAddress { get; } = new("--health-address") { Description = "The address the health endpoint binds to. Default 127.0.0.1; use * for every interface." };

    public Option<string?> Output { get; } = new("--output") { Description = "text (default: progress and summary) or jsonl (one JSON run event a line, then a run.result line)." };

    public OutputMode GetOutputMode(ParseResult parse) => parse.GetValue(Output)?.ToLowerInvariant() switch
    {
        null or "" or "text" => parse.GetValue(Quiet) ? OutputMode.Summary : OutputMode.Progress,
        "jsonl" => OutputMode.JsonLines,
        var other => throw new HostConfigurationException($"--output must be text or jsonl; got '{other}'."),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(LogLevel);
        command.Options.Add(LogFormat);
        command.Options.Add(Root);
        command.Options.Add(AgentCommand);
        command.Options.Add(AgentArguments);
        command.Options.Add(MainBranch);
        command.Options.Add(BranchTemplate);
        command.Options.Add(Settings);
        command.Options.Add(Quiet);
        command.Options.Add(Output);
        command.Options.Add(HealthPort);
        command.Options.Add(HealthAddress);
    }

    /// <summary>The command-line settings as configuration keys; they override the file and the environment.</summary>
    public Dictionary<string, string?> ToSettings(ParseResult parse)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Set(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                settings[key] = value;
            }
        }

        Set("NecroCode:Logging:Level", parse.GetValue(LogLevel));
        Set("NecroCode:Logging:Format", parse.GetValue(LogFormat));
        Set("NecroCode:FileSystem:RootPath", parse.GetValue(Root));
        Set("NecroCode:Agent:Command", parse.GetValue(AgentCommand));
        Set("NecroCode:Runner:MainBranch", parse.GetValue(MainBranch));
        Set("NecroCode:Runner:BranchTemplate", parse.GetValue(BranchTemplate));
        var arguments = parse.GetValue(AgentArguments) ?? [];
        for (var i = 0; i < arguments.Length; i++)
        {
            settings[$"NecroCode:Agent:Arguments:{i}"] = arguments[i];
        }

        if (parse.GetValue(HealthPort) is { } port)
        {
            if (port is < 1 or > 65535)
            {
                throw new HostConfigurationException($"--health-port must be between 1 and 65535; got {port}.");
            }

            settings["NecroCode:Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Set("NecroCode:Health:Address", parse.GetValue(HealthAddress));
        foreach (var pair in parse.GetValue(Settings) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new HostConfigurationException($"--set expects key=value; got '{pair}'.");
            }

            settings[pair[..equals].Trim()] = pair[(equals + 1)..];
        }

        return settings;
    }

    /// <summary>
    /// Checks a command's degree of parallelism (1 to 1024) and makes it the limit of runs at once in this process,
    /// unless a setting names one (<c>NecroCode:Concurrency:MaxParallelRuns</c>).
    /// </summary>
    /// <param name="degree">How many runs at once.</param>
    /// <param name="option">The option that gave it, for the message.</param>
    /// <param name="settings">The command-line settings.</param>
    public static void LimitParallelRuns(int degree, string option, Dictionary<string, string?> settings)
    {
        if (degree is < 1 or > 1024)
        {
            throw new HostConfigurationException($"{option} must be between 1 and 1024; got {degree}.");
        }

        if (degree > 1 && !settings.ContainsKey("NecroCode:Concurrency:MaxParallelRuns"))
        {
            settings["NecroCode:Concurrency:MaxParallelRuns"] = degree.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

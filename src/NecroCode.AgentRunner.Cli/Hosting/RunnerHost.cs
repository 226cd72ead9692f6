using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Concurrency;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Docker;
using NecroCode.AgentRunner.Health;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Git;
using NecroCode.AgentRunner.Kiro;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Prompts;
using NecroCode.AgentRunner.Security;
using NecroCode.AgentRunner.TestExecution;

namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>
/// Composes the runner for the command-line host: settings from a JSON file, then environment
/// variables, then command-line options (later wins), bound under the root section <c>NecroCode</c>.
/// </summary>
internal static class RunnerHost
{
    public const string RootSection = "NecroCode";

    public static IConfiguration BuildConfiguration(FileInfo? configFile, IReadOnlyDictionary<string, string?> commandLine, IReadOnlyDictionary<string, string?>? defaults = null)
    {
        var builder = new ConfigurationBuilder();
        if (defaults is not null)
        {
            builder.AddInMemoryCollection(defaults);
        }

        if (configFile is not null)
        {
            if (!configFile.Exists)
            {
                throw new HostConfigurationException($"The settings file '{configFile.FullName}' does not exist.");
            }

            builder.AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables();
        builder.AddInMemoryCollection(commandLine);
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            throw new HostConfigurationException($"The settings file '{configFile?.FullName}' could not be read: {ex.Message}", ex);
        }
    }

    public static ServiceProvider BuildServices(IConfiguration configuration, TextWriter progressWriter, OutputMode output, bool showTask = false)
    {
        var root = configuration.GetSection(RootSection);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(ParseLevel(root["Logging:Level"]));
            var json = string.Equals(root["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
            if (json)
            {
                logging.AddJsonConsole(o => o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false });
            }
            else
            {
                logging.AddSimpleConsole(o => o.SingleLine = true);
            }

            logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });

        var runner = services.AddAgentRunner().UseGit();
        services.Configure<AgentRunnerOptions>(configuration.GetSection(AgentRunnerOptions.SectionName));
        services.Configure<FileSystemOptions>(configuration.GetSection(FileSystemOptions.SectionName));
        services.Configure<CommandAgentOptions>(configuration.GetSection(CommandAgentOptions.SectionName));
        services.Configure<PromptOptions>(configuration.GetSection(PromptOptions.SectionName));
        services.Configure<GitOptions>(configuration.GetSection(GitOptions.SectionName));
        services.Configure<ProcessRunnerOptions>(configuration.GetSection(ProcessRunnerOptions.SectionName));
        services.Configure<TestRunnerOptions>(configuration.GetSection(TestRunnerOptions.SectionName));
        services.Configure<SecretMaskerOptions>(configuration.GetSection(SecretMaskerOptions.SectionName));
        services.Configure<ChangePolicyOptions>(configuration.GetSection(ChangePolicyOptions.SectionName));
        services.Configure<ConcurrencyOptions>(configuration.GetSection(ConcurrencyOptions.SectionName));
        services.Configure<CredentialOptions>(configuration.GetSection(CredentialOptions.SectionName));
        UseAgent(runner, configuration, root["Agent:Kind"]);
        switch (root["Execution:Mode"]?.ToLowerInvariant())
        {
            case null or "" or "local":
                break;
            case "docker":
                runner.UseDocker();
                services.Configure<DockerOptions>(configuration.GetSection(DockerOptions.SectionName));
                break;
            case var other:
                throw new HostConfigurationException($"NecroCode:Execution:Mode '{other}' is not an execution mode; use local or docker.");
        }

        services.AddHealthChecks().AddAgentRunnerHealthChecks();
        services.Configure<AgentRunnerHealthCheckOptions>(configuration.GetSection(AgentRunnerHealthCheckOptions.SectionName));
        services.AddAgentRunnerLogMasking();
        switch (output)
        {
            case OutputMode.Progress when ReferenceEquals(progressWriter, System.Console.Out) && !System.Console.IsOutputRedirected:
                services.AddSingleton<IRunEventObserver>(sp => new TerminalProgressObserver(progressWriter, showTask, sp.GetRequiredService<TimeProvider>()));
                break;
            case OutputMode.Progress:
                services.AddSingleton<IRunEventObserver>(new ProgressObserver(progressWriter, showTask));
                break;
            case OutputMode.JsonLines:
                services.AddSingleton<IRunEventObserver>(new JsonLinesObserver(progressWriter));
                break;
            default:
                break;
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>The agents the host can run, by <c>NecroCode:Agent:Kind</c>.</summary>
    public static readonly IReadOnlyList<string> AgentKinds = ["command", "kiro", "claude-code", "codex", "gemini-cli", "aider", "copilot-cli"];

    private static void UseAgent(IAgentRunnerBuilder runner, IConfiguration configuration, string? kind)
    {
        var services = runner.Services;
        switch (kind?.ToLowerInvariant())
        {
            case null or "" or "command":
                break;
            case "kiro":
                runner.UseKiro();
                services.Configure<KiroOptions>(configuration.GetSection(KiroOptions.SectionName));
                break;
            case "claude-code":
                runner.UseClaudeCode();
                services.Configure<ClaudeCodeOptions>(configuration.GetSection(ClaudeCodeOptions.SectionName));
                break;
            case "codex":
                runner.UseCodex();
                services.Configure<CodexOptions>(configuration.GetSection(CodexOptions.SectionName));
                break;
            case "gemini-cli":
                runner.UseGeminiCli();
                services.Configure<GeminiCliOptions>(configuration.GetSection(GeminiCliOptions.SectionName));
                break;
            case "aider":
                runner.UseAider();
                services.Configure<AiderOptions>(configuration.GetSection(AiderOptions.SectionName));
                break;
            case "copilot-cli":
                runner.UseCopilotCli();
                services.Configure<CopilotCliOptions>(configuration.GetSection(CopilotCliOptions.SectionName));
                break;
            default:
                throw new HostConfigurationException($"NecroCode:Agent:Kind '{kind}' is not an agent; use one of {string.Join(", ", AgentKinds)}.");
        }
    }

    /// <summary>Resolves every options type once so that invalid settings fail before any work.</summary>
    public static void ValidateOptions(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<AgentRunnerOptions>>().Value;
            _ = services.GetRequiredService<IOptions<FileSystemOptions>>().Value;
            _ = services.GetRequiredService<IOptions<GitOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ProcessRunnerOptions>>().Value;
            _ = services.GetRequiredService<IOptions<TestRunnerOptions>>().Value;
            _ = services.GetRequiredService<IOptions<SecretMaskerOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ChangePolicyOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ConcurrencyOptions>>().Value;
            _ = services.GetRequiredService<IOptions<CredentialOptions>>().Value;
            _ = services.GetRequiredService<IExecutionEnvironment>();
            _ = services.GetRequiredService<ICodingAgent>();
            _ = services.GetRequiredService<IWorkspaceManager>();
        }
        catch (OptionsValidationException ex)
        {
            throw new HostConfigurationException($"Invalid settings ({ex.OptionsType.Name}): {string.Join("; ", ex.Failures)}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new HostConfigurationException($"Invalid settings: {ex.Message}", ex);
        }
    }

    private static LogLevel ParseLevel(string? value) =>
        string.IsNullOrEmpty(value) ? LogLevel.Warning
        : Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) ? level
        : throw new HostConfigurationException($"NecroCode:Logging:Level '{value}' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None).");
}

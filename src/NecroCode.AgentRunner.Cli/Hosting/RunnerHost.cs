using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents;
using NecroCode.AgentRunner.Agents.Presets;
using NecroCode.AgentRunner.Concurrency;
using NecroCode.AgentRunner.Configuration;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Docker;
using NecroCode.AgentRunner.Health;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Git;
using NecroCode.AgentRunner.Kiro;
using NecroCode.AgentRunner.Policies;
using NecroCode.AgentRunner.Processes;
using NecroCode.AgentRunner.Prompts;
using NecroCode.AgentRunner.Sandboxing;
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

    /// <summary>
    /// Builds the host's configuration: <paramref name="defaults"/>, the settings file, environment variables, then
    /// the command line (later wins). Refuses every key under <c>NecroCode</c> that no setting answers to.
    /// </summary>
    public static IConfiguration BuildConfiguration(FileInfo? configFile, IReadOnlyDictionary<string, string?> commandLine, IReadOnlyDictionary<string, string?>? defaults = null)
    {
        var builder = new ConfigurationBuilder();
        var sources = new List<SettingsSource>();
        if (defaults is not null)
        {
            builder.AddInMemoryCollection(defaults);
            sources.Add(SettingsSource.BuiltIn);
        }

        if (configFile is not null)
        {
            if (!configFile.Exists)
            {
                throw new HostConfigurationException($"The settings file '{configFile.FullName}' does not exist.");
            }

            builder.AddJsonFile(configFile.FullName, optional: false, reloadOnChange: false);
            sources.Add(SettingsSource.File(configFile.FullName));
        }

        builder.AddEnvironmentVariables();
        sources.Add(SettingsSource.Environment);
        builder.AddInMemoryCollection(commandLine);
        sources.Add(SettingsSource.CommandLine);
        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException)
        {
            throw new HostConfigurationException($"The settings file '{configFile?.FullName}' could not be read: {ex.Message}", ex);
        }

        UnknownSettings.ThrowIfAny(configuration, sources, KnownSettings.ForHost);
        return configuration;
    }

    public static ServiceProvider BuildServices(IConfiguration configuration, TextWriter progressWriter, OutputMode output, bool showTask = false)
    {
        var root = configuration.GetSection(RootSection);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(ParseLevel(root[HostKeys.LoggingLevel]));
            var json = string.Equals(root[HostKeys.LoggingFormat], "json", StringComparison.OrdinalIgnoreCase);
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

        // The library binds every options class its UseX() methods add from the NecroCode section, and names settings
        // by path in validation messages; the host's own keys and the providers it may choose are known to it too.
        var runner = services.AddAgentRunner(root).UseGit();
        services.AddSingleton(new SettingsKnownElsewhere([.. HostBindings.All.Select(b => (b.Section, b.OptionsType))], HostKeys.All));

        UseAgent(runner, root[HostKeys.AgentKind]);
        UseRegistry(runner, root[HostKeys.RegistryKind]);
        switch (root[HostKeys.ExecutionMode]?.ToLowerInvariant())
        {
            case null or "" or "local":
                break;
            case "docker":
                runner.UseDocker();
                break;
            case "kubernetes":
                runner.UseKubernetes();
                break;
            case var other:
                throw new HostConfigurationException($"NecroCode:Execution:Mode '{other}' is not an execution mode; use local, docker or kubernetes.");
        }

        switch (root[HostKeys.ArtifactStore]?.ToLowerInvariant())
        {
            case null or "" or "file-system" or "file":
                break;
            case "s3":
                runner.UseS3ArtifactStore();
                break;
            case var other:
                throw new HostConfigurationException($"NecroCode:Artifacts:Store '{other}' is not an artifact store; use file-system or s3.");
        }

        // The readiness the run and the worker drive is always there; the checks that report it only when served.
        services.TryAddSingleton<RunnerReadiness>();
        if (!string.IsNullOrEmpty(root[HostKeys.HealthPort]))
        {
            AddHealthChecks(services);
        }

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

    /// <summary>
    /// The health checks, only for a host that serves them (<c>NecroCode:Health:Port</c>): in a method of its own so that
    /// a run without a health endpoint does not load the health-check assemblies.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddHealthChecks(IServiceCollection services) => services.AddHealthChecks().AddAgentRunnerHealthChecks();

    /// <summary>The agents the host can run, by <c>NecroCode:Agent:Kind</c>.</summary>
    public static readonly IReadOnlyList<string> AgentKinds = [.. HostBindings.Agents.Select(a => a.Kind)];

    private static void UseAgent(IAgentRunnerBuilder runner, string? kind)
    {
        var agent = string.IsNullOrEmpty(kind) ? HostBindings.Agents[0]
            : HostBindings.Agents.FirstOrDefault(a => string.Equals(a.Kind, kind, StringComparison.OrdinalIgnoreCase))
              ?? throw new HostConfigurationException($"NecroCode:Agent:Kind '{kind}' is not an agent; use one of {string.Join(", ", AgentKinds)}.");
        agent.Use?.Invoke(runner);
    }

    private static void UseRegistry(IAgentRunnerBuilder runner, string? kind)
    {
        var registry = string.IsNullOrEmpty(kind) ? HostBindings.Registries[0]
            : HostBindings.Registries.FirstOrDefault(r => string.Equals(r.Kind, kind, StringComparison.OrdinalIgnoreCase))
              ?? throw new HostConfigurationException($"NecroCode:Registry:Kind '{kind}' is not a registry; use one of {string.Join(", ", HostBindings.Registries.Select(r => r.Kind))}.");
        registry.Use?.Invoke(runner);
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
            _ = services.GetRequiredService<IOptions<SandboxOptions>>().Value;
            _ = services.GetRequiredService<IOptions<TestRunnerOptions>>().Value;
            _ = services.GetRequiredService<IOptions<SecretMaskerOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ChangePolicyOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ConcurrencyOptions>>().Value;
            _ = services.GetRequiredService<IOptions<CredentialOptions>>().Value;
            _ = services.GetRequiredService<IExecutionEnvironment>();
            _ = services.GetRequiredService<IArtifactStore>();
            _ = services.GetRequiredService<ICodingAgent>();
            _ = services.GetRequiredService<IWorkspaceManager>();
            _ = services.GetRequiredService<ITaskRegistry>();
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

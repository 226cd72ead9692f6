using Microsoft.Extensions.Options;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Credentials;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Lets a coding agent's registration name the run secrets the agent receives.</summary>
public static class AgentSecretsAgentRunnerBuilderExtensions
{
    /// <summary>
    /// Adds the secrets an agent receives, as its <typeparamref name="TOptions"/> name them, to
    /// <see cref="CredentialOptions.OptionalSecrets"/> (unless already listed there or in
    /// <see cref="CredentialOptions.Secrets"/>), so that every run fetches them when present, masks them and hands them
    /// to the agent through <see cref="AgentRequest.Secrets"/>. Runs after every other configuration of the credentials.
    /// </summary>
    /// <typeparam name="TOptions">The agent's options, read as configured (not validated here).</typeparam>
    /// <param name="builder">The runner builder.</param>
    /// <param name="secretNames">Reads the secret names from the agent's options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IAgentRunnerBuilder AddAgentSecrets<TOptions>(this IAgentRunnerBuilder builder, Func<TOptions, IEnumerable<string>> secretNames)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(secretNames);

        // The agent's options are built here from their configuration without validating them: an agent that is
        // registered but replaced (the default command agent under UseKiro …) must not fail the start.
        builder.Services.AddOptions<CredentialOptions>().PostConfigure<IEnumerable<IConfigureOptions<TOptions>>, IEnumerable<IPostConfigureOptions<TOptions>>>(
            (credentials, configures, postConfigures) =>
            {
                var agent = new TOptions();
                foreach (var configure in configures)
                {
                    configure.Configure(agent);
                }

                foreach (var postConfigure in postConfigures)
                {
                    postConfigure.PostConfigure(Options.Options.DefaultName, agent);
                }

                foreach (var name in secretNames(agent))
                {
                    if (!string.IsNullOrEmpty(name) && !credentials.Secrets.Contains(name) && !credentials.OptionalSecrets.Contains(name))
                    {
                        credentials.OptionalSecrets.Add(name);
                    }
                }
            });
        return builder;
    }
}

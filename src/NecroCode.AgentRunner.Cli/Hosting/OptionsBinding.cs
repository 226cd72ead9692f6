using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NecroCode.AgentRunner.Cli.Hosting;

/// <summary>An options class the host binds from one configuration section.</summary>
/// <param name="Section">The section's path, e.g. <c>NecroCode:Runner</c>.</param>
/// <param name="OptionsType">The options class bound from it.</param>
/// <param name="Configure">Registers the binding: <c>services.Configure&lt;T&gt;(configuration.GetSection(Section))</c>.</param>
internal sealed record OptionsBinding(string Section, Type OptionsType, Action<IServiceCollection, IConfiguration> Configure)
{
    /// <summary>A binding of <typeparamref name="TOptions"/> to <paramref name="section"/>.</summary>
    public static OptionsBinding Of<TOptions>(string section)
        where TOptions : class =>
        new(section, typeof(TOptions), (services, configuration) => services.Configure<TOptions>(configuration.GetSection(section)));

    /// <summary>Binds the options class to its section of <paramref name="configuration"/>.</summary>
    public void Bind(IServiceCollection services, IConfiguration configuration) => Configure(services, configuration);
}

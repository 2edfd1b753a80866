using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Floxide.Edge.Gateway.Configuration;

/// <summary>Registers a feature's options section so that it is bound, validated at start and on reload, and checked by <c>validate</c>.</summary>
public static class GatewayOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="sectionPath"/> of the running (validated) configuration
    /// and registers the section for validation. <c>IOptionsMonitor&lt;TOptions&gt;</c> then changes only when a
    /// reloaded configuration passed every check: that is the reload seam features implement with <c>OnChange</c>.
    /// </summary>
    /// <typeparam name="TOptions">The options class.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="sectionPath">The section, e.g. <c>Floxide:Mqtt</c>.</param>
    /// <param name="bind">
    /// Binds a section onto an instance; write it as <c>static (section, options) =&gt; section.Bind(options)</c> at a
    /// call site where the type is known, so that the configuration binding generator makes it safe for NativeAOT.
    /// </param>
    /// <param name="validateDataAnnotations">Check the class's data annotations; turn off when a generated <c>[OptionsValidator]</c> already does.</param>
    /// <returns>The options builder, e.g. to add <c>IValidateOptions</c> validators with <c>services.AddSingleton</c>.</returns>
    public static OptionsBuilder<TOptions> AddGatewayOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this IServiceCollection services,
        string sectionPath,
        Action<IConfiguration, TOptions> bind,
        bool validateDataAnnotations = true)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(sectionPath);
        ArgumentNullException.ThrowIfNull(bind);
        services.AddSingleton<IGatewayOptionsSection>(provider => new GatewayOptionsSection<TOptions>(
            sectionPath, bind, provider.GetServices<IValidateOptions<TOptions>>(), validateDataAnnotations));
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(
            provider => new ConfigurationChangeTokenSource<TOptions>(provider.GetRequiredService<IConfiguration>()));
        return services.AddOptions<TOptions>()
            .Configure<IConfiguration>((options, configuration) => bind(configuration.GetSection(sectionPath), options));
    }
}

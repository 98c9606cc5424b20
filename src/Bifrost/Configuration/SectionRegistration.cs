using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bifrost.Configuration;

/// <summary>
/// Every options section is bound once and validated once, by the capability that owns it, when the host is built:
/// invalid configuration ends start-up there with one line naming the key (`serve` exits with code 2), and the bound
/// instance is what both build-time wiring (Kestrel, exporters, analyzers) and the services (<c>IOptions&lt;T&gt;</c>) see.
/// </summary>
public static class SectionRegistration
{
    /// <summary>Binds <paramref name="section"/>, validates it with <typeparamref name="TValidator"/>, registers it, returns it.</summary>
    /// <exception cref="OptionsValidationException">The first failure names the key, e.g. <c>analysis.retry_attempts must be >= 0 (got -1)</c>.</exception>
    public static TOptions AddBifrostSection<TOptions, TValidator>(this IHostApplicationBuilder builder, string section)
        where TOptions : class, new()
        where TValidator : IValidateOptions<TOptions>, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.FirstOrDefault(d => d.ServiceType == typeof(TOptions))?.ImplementationInstance is TOptions bound)
        {
            return bound;
        }

        var options = builder.Configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        var result = new TValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(section, typeof(TOptions), result.Failures);
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IOptions<TOptions>>(Options.Create(options));
        return options;
    }

    /// <summary>The instance a capability registered with <see cref="AddBifrostSection{TOptions, TValidator}"/>.</summary>
    public static TOptions BoundSection<TOptions>(this IServiceCollection services) where TOptions : class =>
        services.FirstOrDefault(d => d.ServiceType == typeof(TOptions))?.ImplementationInstance as TOptions
        ?? throw new InvalidOperationException($"{typeof(TOptions).Name} is not registered yet: its section's registration comes first");
}

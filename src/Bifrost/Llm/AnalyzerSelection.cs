using Bifrost.Analyzers;
using Bifrost.Configuration;

namespace Bifrost.Llm;

/// <summary>
/// An analyzer for a one-shot command (<c>bifrost analyze --engine ...</c>), built by the same registration the
/// service uses (<see cref="AnalyzerServiceCollectionExtensions.AddBifrostAnalyzers"/>). Dispose when done.
/// </summary>
public sealed class AnalyzerSelection : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private AnalyzerSelection(ServiceProvider services, string language)
    {
        this.services = services;
        Analyzer = services.GetRequiredService<IAnalyzer>();
        Language = language;
    }

    /// <summary><c>ai.language</c>: the language a one-shot command asks for.</summary>
    public string Language { get; }

    public IAnalyzer Analyzer { get; }

    internal IServiceProvider Services => services;

    /// <param name="engine">builtin | llm | hybrid; null = <c>ai.mode</c> from <paramref name="configuration"/>.</param>
    public static AnalyzerSelection Create(string? engine, IConfiguration configuration)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddMetrics();
        collection.AddBifrostAnalyzers(configuration, engine);
        var language = configuration[$"{AiOptions.Section}:language"];
        return new AnalyzerSelection(collection.BuildServiceProvider(), string.IsNullOrWhiteSpace(language) ? "en" : language.Trim());
    }

    /// <summary>
    /// For <c>bifrost analyze --engine ... [--config FILE]</c>: configuration read as <c>serve</c> reads it
    /// (<c>--config</c>, <c>$BIFROST_CONFIG</c>, <c>./config.yaml</c>, <c>.env</c>, environment variables).
    /// </summary>
    public static AnalyzerSelection ForCommandLine(string? engine, string? configFile)
    {
        DotEnv.LoadIntoProcess(Path.Combine(Directory.GetCurrentDirectory(), ".env"));
        var environment = BifrostConfiguration.ProcessEnvironment();
        var file = BifrostConfiguration.ResolveConfigFile(configFile, name => environment.GetValueOrDefault(name), Directory.GetCurrentDirectory());
        return Create(engine, BifrostConfiguration.Build(file, environment));
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}

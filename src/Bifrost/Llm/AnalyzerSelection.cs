using Bifrost.Analyzers;

namespace Bifrost.Llm;

/// <summary>
/// An analyzer for a one-shot command (<c>bifrost analyze --engine ...</c>), built by the same registration the
/// service uses (<see cref="AnalyzerServiceCollectionExtensions.AddBifrostAnalyzers"/>). Dispose when done.
/// </summary>
public sealed class AnalyzerSelection : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private AnalyzerSelection(ServiceProvider services)
    {
        this.services = services;
        Analyzer = services.GetRequiredService<IAnalyzer>();
    }

    public IAnalyzer Analyzer { get; }

    internal IServiceProvider Services => services;

    /// <param name="engine">builtin | llm | hybrid; null = <c>ai.mode</c> from <paramref name="configuration"/>.</param>
    public static AnalyzerSelection Create(string? engine, IConfiguration configuration)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddMetrics();
        collection.AddBifrostAnalyzers(configuration, engine);
        return new AnalyzerSelection(collection.BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}

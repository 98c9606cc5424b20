namespace Bifrost.Pipeline;

internal static class PipelineRegistration
{
    /// <summary>The analysis pipeline every channel shares (Kafka, REST, gRPC) and the events its watchers follow.</summary>
    public static WebApplicationBuilder AddAnalysisPipeline(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IAnalysisEvents, AnalysisEvents>();
        builder.Services.AddSingleton<AnalysisPipeline>();
        return builder;
    }
}

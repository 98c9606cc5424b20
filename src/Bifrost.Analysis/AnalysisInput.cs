namespace Bifrost.Analysis;

/// <summary>One log excerpt to analyse, with the context that changes the answer (service, environment, language).</summary>
/// <param name="LogContent">The raw excerpt: a line, a chunk, a stack trace or a whole file.</param>
/// <param name="ServiceName">The service the log came from; named in the explanation.</param>
/// <param name="Environment">Free text (<c>dev</c>, <c>staging</c>, <c>prod</c>, ...); adjusts severity per the taxonomy.</param>
/// <param name="Language">Output language of the explanation: <c>en</c> or <c>ko</c>.</param>
public sealed record AnalysisInput(
    string LogContent,
    string? ServiceName = null,
    string? Environment = null,
    string Language = "en");

namespace Bifrost.Commands.Patterns;

/// <summary>One line of the <c>patterns</c> report. Example lines are redacted before they get here.</summary>
internal sealed record PatternRow(long Id, string Template, long Count, double Share, string Example);

/// <summary>Output formats of <c>bifrost patterns</c>.</summary>
internal enum PatternsFormat
{
    Table,
    Json,
    Csv,
}

using Microsoft.Extensions.Configuration;

namespace Bifrost.Knowledge;

/// <summary>The <c>knowledge:</c> section: how feedback and runbooks enter the answers.</summary>
public sealed class KnowledgeOptions
{
    public const string Section = "knowledge";

    /// <summary>
    /// How often a serving instance checks whether another instance (or the CLI) changed feedback or runbooks. A
    /// change made through this instance's own API applies to the next analysis at once.
    /// </summary>
    [ConfigurationKeyName("refresh_seconds")] public double RefreshSeconds { get; set; } = 5;

    /// <summary>Resolution notes shown in the next answer for the same failure (newest first).</summary>
    [ConfigurationKeyName("notes_shown")] public int NotesShown { get; set; } = 2;

    [ConfigurationKeyName("runbooks")] public RunbookOptions Runbooks { get; set; } = new();
}

public sealed class RunbookOptions
{
    /// <summary>Sections attached to one analysis at most (the best first).</summary>
    [ConfigurationKeyName("max_citations")] public int MaxCitations { get; set; } = 3;

    /// <summary>
    /// A section is attached only at this score or above (0..1, see docs/quality.md "Runbook retrieval"): below it a
    /// match is too weak to show. Tuned on the dev half of eval/runbooks (`runbook-eval`); at 0.58 a section must be
    /// about the same category as the analysis and share some of its words.
    /// </summary>
    [ConfigurationKeyName("min_score")] public double MinScore { get; set; } = 0.58;

    /// <summary>Length of the quote shown with a citation (after redaction).</summary>
    [ConfigurationKeyName("quote_chars")] public int QuoteChars { get; set; } = 240;

    /// <summary>Lookups remembered per (category, fingerprint, service); cleared when runbooks change.</summary>
    [ConfigurationKeyName("cache_size")] public int CacheSize { get; set; } = 20_000;
}

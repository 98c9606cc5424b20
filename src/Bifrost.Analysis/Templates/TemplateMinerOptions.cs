namespace Bifrost.Analysis.Templates;

/// <summary>The miner's one configuration. The defaults are the evaluated ones (docs/quality.md): they are
/// meant for any log, not tuned per system.</summary>
public sealed record TemplateMinerOptions
{
    /// <summary>Templates kept; the least recently seen is evicted beyond this, which bounds memory.</summary>
    public int MaxClusters { get; init; } = 10_000;

    /// <summary>Share of a template's constant positions a line must agree with to join it.</summary>
    public double SimilarityThreshold { get; init; } = 0.5;

    /// <summary>Which mining rules are on: always the default in the product; switched only by the bench's
    /// ablations and leave-one-system-out selection.</summary>
    internal MiningRules Rules { get; init; } = MiningRules.Default;
}

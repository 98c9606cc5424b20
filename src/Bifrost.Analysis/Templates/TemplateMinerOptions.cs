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

    /// <summary>
    /// Evidence across lines that a word is a parameter: when this many lines that are the same message but for
    /// one word position have brought this many different words there, that position becomes a parameter
    /// (<c>removing chargen</c>, <c>removing daytime</c>, ... ). Below it, different words keep lines apart
    /// (<c>VM Started</c>/<c>VM Paused</c>/<c>VM Resumed</c>/<c>VM Stopped</c>). 0 turns the evidence off.
    /// Internal: chosen by leave-one-system-out (3 and 4 merged such lifecycle events; 5 to 8 scored alike).
    /// </summary>
    internal int WordParameterValues { get; init; } = 5;
}

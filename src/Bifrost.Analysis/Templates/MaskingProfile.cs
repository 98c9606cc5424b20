namespace Bifrost.Analysis.Templates;

/// <summary>How much of a line is masked before templates are compared.</summary>
public enum MaskingProfile : byte
{
    /// <summary>For the miner: mask what is certainly variable (anything with a digit, month and weekday
    /// names); leave paths, names and words for the miner to judge by comparing lines.</summary>
    Mining,

    /// <summary>For fingerprints of a single line, where there is nothing to compare with: also mask paths,
    /// URLs, e-mail addresses, host names, quoted strings and the values of <c>key=value</c> pairs.</summary>
    Fingerprint,
}

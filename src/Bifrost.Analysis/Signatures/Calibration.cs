namespace Bifrost.Analysis.Signatures;

/// <summary>
/// Maps evidence strength (score of the winning category and its margin over the runner-up) to a probability
/// of being right. The shape is a logistic curve; its coefficients were fitted on the dev evaluation set's
/// confidence bins (docs/quality.md), not on individual rows.
/// </summary>
public static class Calibration
{
    /// <summary>Confidence of a "no failure found" answer: the excerpt may simply not include the failure.</summary>
    public const double NoFailureConfidence = 0.4;

    /// <summary>Highest confidence when only weak, generic evidence (a hint word, an unnamed exception) decided.</summary>
    public const double GenericCap = 0.6;

    /// <summary>Highest confidence when the runner-up category scored within <see cref="CloseMargin"/> of the winner.</summary>
    public const double RivalCap = 0.7;

    public const double CloseMargin = 0.5;

    /// <summary>Highest confidence for a surface symptom (null, bad value, missing key/file) when the excerpt points elsewhere.</summary>
    public const double SymptomCap = 0.75;

    /// <summary>Highest confidence when the failure follows a requested stop: it may be the stop's own expected output, not a fault.</summary>
    public const double AfterStopCap = 0.6;

    public static double Confidence(bool known, double score, double margin, bool generic = false, bool causeMayLieElsewhere = false, bool afterRequestedStop = false)
    {
        if (!known)
        {
            // "unknown" is right when nothing else fits; the weaker the best guess, the more likely that is
            return Math.Round(Math.Clamp(0.25 + 0.15 * Math.Clamp(margin, 0, 1), 0.2, 0.5), 2);
        }

        var z = -3.0 + 1.1 * Math.Min(score, 4.5) + 1.2 * Math.Min(margin, 2.0);
        var p = Math.Clamp(1.0 / (1.0 + Math.Exp(-z)), 0.3, 0.95);
        if (generic)
        {
            p = Math.Min(p, GenericCap);
        }

        if (margin < CloseMargin)
        {
            p = Math.Min(p, RivalCap);
        }

        if (causeMayLieElsewhere)
        {
            p = Math.Min(p, SymptomCap);
        }

        if (afterRequestedStop)
        {
            p = Math.Min(p, AfterStopCap);
        }

        return Math.Round(p, 2);
    }

}

namespace Bifrost.Analysis.Signatures;

/// <summary>
/// Maps evidence strength (score of the winning category and its margin over the runner-up) to a probability
/// of being right. The shape is a logistic curve; its coefficients were fitted on the dev evaluation set's
/// confidence bins (docs/quality.md), not on individual rows.
/// </summary>
public static class Calibration
{
    /// <summary>Confidence of a "no failure found" answer: the excerpt may simply not include the failure.</summary>
    public const double NoFailureConfidence = 0.35;

    public static double Confidence(bool known, double score, double margin)
    {
        if (!known)
        {
            // "unknown" is right when nothing else fits; the weaker the best guess, the more likely that is
            return Math.Round(Math.Clamp(0.25 + 0.15 * Math.Clamp(margin, 0, 1), 0.2, 0.5), 2);
        }

        var z = -3.0 + 1.1 * Math.Min(score, 4.5) + 1.2 * Math.Min(margin, 2.0);
        var p = 1.0 / (1.0 + Math.Exp(-z));
        return Math.Round(Math.Clamp(p, 0.3, 0.97), 2);
    }
}

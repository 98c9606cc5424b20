using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Normalization;

/// <summary>
/// Regex calls that treat a match timeout as "no match". Every engine regex has a timeout as a safety net against
/// pathological input; hitting it (e.g. a starved CPU) must degrade one clue, never fail the analysis.
/// </summary>
internal static class Rx
{
    public static bool IsMatch(Regex regex, string input)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public static bool IsMatch(Regex regex, ReadOnlySpan<char> input)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public static Match Match(Regex regex, string input, int startat = 0)
    {
        try
        {
            return regex.Match(input, startat);
        }
        catch (RegexMatchTimeoutException)
        {
            return System.Text.RegularExpressions.Match.Empty;
        }
    }

    public static string Replace(Regex regex, string input, MatchEvaluator evaluator)
    {
        try
        {
            return regex.Replace(input, evaluator);
        }
        catch (RegexMatchTimeoutException)
        {
            return input;
        }
    }
}

using System.Text;
using Bifrost.Analysis.Redaction;

namespace Bifrost.Llm;

/// <summary>
/// Prepares the untrusted excerpt for a prompt: redacted first (nothing secret leaves the process), then reduced to
/// the token budget by keeping the salient windows (error lines with context, and the end of the log) instead of a blind cut.
/// </summary>
internal static class ExcerptBudget
{
    /// <summary>Rough size of a token in log text; budgets are approximate by design.</summary>
    public const int CharsPerToken = 4;

    public static string Prepare(string excerpt, int maxInputTokens)
    {
        var redacted = Redactor.Redact(excerpt);
        return Reduce(redacted, Math.Max(256, maxInputTokens) * CharsPerToken);
    }

    /// <summary>
    /// Stand-in for the engine's <c>SalientWindows.Reduce(text, maxChars)</c> (engine-classify branch); same contract,
    /// switch the call when that lands.
    /// </summary>
    internal static string Reduce(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var lines = text.Split('\n');
        var keep = new bool[lines.Length];
        const int Context = 2;
        for (var i = 0; i < lines.Length; i++)
        {
            if (!IsSalient(lines[i]))
            {
                continue;
            }

            for (var j = Math.Max(0, i - Context); j <= Math.Min(lines.Length - 1, i + Context); j++)
            {
                keep[j] = true;
            }
        }

        // The end of a log usually holds the final failure; keep a tail too.
        for (var j = Math.Max(0, lines.Length - 10); j < lines.Length; j++)
        {
            keep[j] = true;
        }

        var builder = new StringBuilder(maxChars);
        var omitted = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (!keep[i])
            {
                omitted++;
                continue;
            }

            if (omitted > 0)
            {
                builder.Append("… [").Append(omitted).Append(" lines omitted] …\n");
                omitted = 0;
            }

            var line = lines[i].Length > 1000 ? lines[i][..1000] + "…" : lines[i];
            if (builder.Length + line.Length + 1 > maxChars)
            {
                break;
            }

            builder.Append(line).Append('\n');
        }

        return builder.ToString().TrimEnd('\n');
    }

    private static bool IsSalient(string line) =>
        line.Contains("ERROR", StringComparison.OrdinalIgnoreCase) || line.Contains("FATAL", StringComparison.OrdinalIgnoreCase)
        || line.Contains("Exception", StringComparison.Ordinal) || line.Contains("Error:", StringComparison.Ordinal)
        || line.Contains("Caused by", StringComparison.Ordinal) || line.Contains("panic:", StringComparison.Ordinal)
        || line.Contains("Traceback", StringComparison.Ordinal);
}

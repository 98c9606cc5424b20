using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Redaction;

/// <summary>Masks secrets and personal data. PLACEHOLDER: the full redactor replaces this.</summary>
public static partial class Redactor
{
    public static string Redact(string text) => Email().Replace(text, "<email>");

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Email();
}

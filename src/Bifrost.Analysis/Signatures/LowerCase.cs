using System.Text;

namespace Bifrost.Analysis.Signatures;

/// <summary>
/// <c>ToLowerInvariant</c> with a vectorised path for ASCII text (most logs): the general path maps one char at a
/// time through the Unicode tables and was a visible share of an analysis. Same result either way: for ASCII,
/// invariant lower-casing is exactly A–Z → a–z.
/// </summary>
internal static class LowerCase
{
    public static string Of(string text)
    {
        if (!Ascii.IsValid(text))
        {
            return text.ToLowerInvariant();
        }

        return string.Create(text.Length, text, static (lower, source) => Ascii.ToLower(source, lower, out _));
    }
}

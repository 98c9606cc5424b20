using System.Text;
using System.Text.RegularExpressions;
using Bifrost.Analysis.Redaction;

namespace Bifrost.Llm;

/// <summary>
/// What a model wrote, checked before it is stored and shown: the model reads log text an attacker may control
/// (a logged user agent, a crafted excerpt), so its free text is untrusted input like any request field. Control and
/// bidirectional-override characters are removed (they can hide or reorder what an engineer copies), secrets are
/// masked (the model may echo the excerpt), the text is clipped after that, and a field that tells the engineer to
/// run code fetched from the network or to wipe a disk is dropped — the built-in engine's field is used instead.
/// The dashboard renders every field as text (dom.js), never as markup.
/// </summary>
internal static partial class ModelText
{
    /// <summary>The text to publish, or null when the field must not be published.</summary>
    public static string? Check(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = WithoutControls(text);
        if (IsDangerousCommand(plain)) return null;
        return Redactor.RedactAndClip(plain, maxLength);
    }

    /// <summary>Download-and-execute pipelines, encoded payloads piped to a shell, and disk/file-system wipes.</summary>
    internal static bool IsDangerousCommand(string text) => Dangerous().IsMatch(text);

    internal static string WithoutControls(string text)
    {
        StringBuilder? cleaned = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\u001b' && i + 1 < text.Length && text[i + 1] == '[')
            {
                // A terminal escape (colour, cursor movement): parameters up to the final byte @–~ go with it.
                cleaned ??= new StringBuilder(text.Length).Append(text, 0, i);
                for (i += 2; i < text.Length && text[i] is < '@' or > '~'; i++)
                {
                }

                continue;
            }

            var drop = (char.IsControl(c) && c is not ('\n' or '\t'))
                || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C' or '\uFEFF';
            if (drop && cleaned is null) cleaned = new StringBuilder(text.Length).Append(text, 0, i);
            if (!drop) cleaned?.Append(c);
        }

        return cleaned?.ToString() ?? text;
    }

    // Linear-time matching (no backtracking): the model's text has no length we chose.
    [GeneratedRegex(
        @"\b(curl|wget|fetch|iwr|irm|invoke-webrequest|invoke-restmethod)\b[^\n;|]*\|\s*(sudo\s+)?(env\s+)?(ba|z|da|k|fi)?sh\b" +
        @"|\b(curl|wget|fetch|iwr|irm|invoke-webrequest|invoke-restmethod)\b[^\n;|]*\|\s*(sudo\s+)?(python[0-9.]*|perl|ruby|node|php|iex|invoke-expression|powershell|pwsh)\b" +
        @"|\b(ba|z|da|k)?sh\s+(-c\s+)?[""']?\$\(\s*(curl|wget|fetch)\b" +
        @"|<\(\s*(curl|wget|fetch)\b" +
        @"|\b(iex|invoke-expression)\b" +
        @"|\bbase64\s+(-d|--decode|-D)\b[^\n;]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b" +
        @"|\brm\s+(-[a-z]*r[a-z]*f[a-z]*|-[a-z]*f[a-z]*r[a-z]*|-r\s+-f|-f\s+-r|--recursive\s+--force|--force\s+--recursive)\s+(--no-preserve-root\s+)?(/|/\*|~|~/|\*|\$HOME)([\s;'""`)]|$)" +
        @"|\bmkfs(\.[a-z0-9]+)?\b|\bdd\s+[^\n]*\bof=/dev/(sd|hd|vd|xvd|nvme|mmcblk|disk)" +
        @"|:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}" +
        @"|\bchmod\s+(-R\s+)?0?777\s+/([\s;]|$)" +
        @"|>\s*/dev/(sd|hd|nvme)[a-z0-9]*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Dangerous();
}

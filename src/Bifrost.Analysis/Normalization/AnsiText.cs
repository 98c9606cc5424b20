using System.Text;

namespace Bifrost.Analysis.Normalization;

/// <summary>Removes ANSI escape sequences (colours, cursor moves) with a linear scan: no regex, no backtracking.</summary>
public static class AnsiText
{
    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escape = text.IndexOf('\u001b', StringComparison.Ordinal);
        if (escape < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, escape);
        var i = escape;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '\u001b')
            {
                sb.Append(c);
                i++;
                continue;
            }

            i++;
            if (i < text.Length && text[i] == '[')
            {
                // CSI: parameters and intermediates, then one final byte in @..~
                i++;
                while (i < text.Length && (text[i] < '@' || text[i] > '~'))
                {
                    i++;
                }

                i++;
            }
            else if (i < text.Length && text[i] == ']')
            {
                // OSC: up to BEL or ESC \
                while (i < text.Length && text[i] != '\u0007' && text[i] != '\u001b')
                {
                    i++;
                }

                i += i < text.Length && text[i] == '\u001b' ? 2 : 1;
            }
            else
            {
                i++;
            }
        }

        return sb.ToString();
    }
}

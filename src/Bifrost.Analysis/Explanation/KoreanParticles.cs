using System.Text.RegularExpressions;
using Bifrost.Analysis.Normalization;

namespace Bifrost.Analysis.Explanation;

/// <summary>
/// Resolves Korean particle pairs written after a value ("{target}(으)로", "{table}을(를)", "{svc}이(가)") from the word
/// actually written before them: its last syllable's final consonant for Hangul, the Korean reading for digits and
/// spelled-out acronyms, and the usual loan-word reading for Latin words. So "orders-db:5432로", "세션을", "API를".
/// </summary>
internal static partial class KoreanParticles
{
    /// <summary>Replaces every particle pair in <paramref name="text"/> by the form its preceding word takes.</summary>
    public static string Resolve(string text)
    {
        if (!text.Contains('(', StringComparison.Ordinal))
        {
            return text;
        }

        return Rx.Replace(Pair(), text, m =>
        {
            var coda = FinalConsonant(text.AsSpan(0, m.Index));
            return m.Groups["p"].Value switch
            {
                "은(는)" or "는(은)" => coda == Coda.None ? "는" : "은",
                "이(가)" or "가(이)" => coda == Coda.None ? "가" : "이",
                "을(를)" or "를(을)" => coda == Coda.None ? "를" : "을",
                "과(와)" or "와(과)" => coda == Coda.None ? "와" : "과",
                "(으)로" => coda is Coda.None or Coda.Rieul ? "로" : "으로",
                "(이)나" => coda == Coda.None ? "나" : "이나",
                "(이)라는" => coda == Coda.None ? "라는" : "이라는",
                _ => m.Value,
            };
        });
    }

    internal enum Coda
    {
        None,
        Rieul,
        Other,
    }

    /// <summary>The final consonant of the last pronounced character before the particle (closing quotes/brackets skipped).</summary>
    internal static Coda FinalConsonant(ReadOnlySpan<char> before)
    {
        var i = before.Length - 1;
        while (i >= 0 && (before[i] is ')' or ']' or '"' or '\'' or '`' or '*' or '}' or '>' or '.' or ' '))
        {
            // a particle after a parenthetical attaches to the word before it: "제한(현재 512Mi)을", "커넥션(누수)으로"
            var open = before[i] == ')' ? OpeningParen(before[..i]) : -1;
            i = open > 0 ? open - 1 : i - 1;
        }

        if (i < 0)
        {
            return Coda.None;
        }

        var c = before[i];
        if (c is >= '\uAC00' and <= '\uD7A3')
        {
            var final = (c - 0xAC00) % 28;
            return final == 0 ? Coda.None : final == 8 ? Coda.Rieul : Coda.Other;
        }

        if (char.IsAsciiDigit(c))
        {
            // 영 일 이 삼 사 오 육 칠 팔 구
            return c switch
            {
                '1' or '7' or '8' => Coda.Rieul,
                '0' or '3' or '6' => Coda.Other,
                _ => Coda.None,
            };
        }

        if (char.IsAsciiLetter(c))
        {
            var start = i;
            while (start > 0 && char.IsAsciiLetter(before[start - 1]))
            {
                start--;
            }

            var word = before[start..(i + 1)];
            var acronym = word.Length <= 5 && word.IndexOfAnyInRange('a', 'z') < 0;
            if (acronym)
            {
                // letter names: 엘, 엠, 엔, 알 end in a consonant; the others (에이, 비, 씨, …) do not
                return char.ToUpperInvariant(c) switch
                {
                    'L' or 'R' => Coda.Rieul,
                    'M' or 'N' => Coda.Other,
                    _ => Coda.None,
                };
            }

            // loan-word reading: a final l/m/n (and -ng) is kept as a consonant ("mail" 메일, "team" 팀, "gen" 젠);
            // other endings take a vowel ("pod" 파드, "redis" 레디스, "host" 호스트)
            return char.ToLowerInvariant(c) switch
            {
                'l' => Coda.Rieul,
                'm' or 'n' => Coda.Other,
                'g' when word.Length > 1 && char.ToLowerInvariant(word[^2]) == 'n' => Coda.Other,
                _ => Coda.None,
            };
        }

        return Coda.None;
    }

    /// <summary>Index of the '(' that opens the parenthetical ending where <paramref name="inside"/> ends, or -1.</summary>
    private static int OpeningParen(ReadOnlySpan<char> inside)
    {
        var depth = 0;
        for (var j = inside.Length - 1; j >= 0; j--)
        {
            if (inside[j] == ')')
            {
                depth++;
            }
            else if (inside[j] == '(' && depth-- == 0)
            {
                return j;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"(?<p>은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|과\(와\)|와\(과\)|\(으\)로|\(이\)나|\(이\)라는)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pair();
}

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Bifrost.Analysis.Templates;

/// <summary>Stable short hash of a line's template. PLACEHOLDER: the template miner replaces this.</summary>
public static partial class TemplateFingerprint
{
    public static string Of(string line)
    {
        var template = Digits().Replace(line, "<*>");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(template), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();
}

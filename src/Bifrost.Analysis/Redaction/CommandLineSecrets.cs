using System.Buffers;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks passwords given on command lines with short flags, which carry no secret-looking key name:
/// <c>-u user:password</c> / <c>--user user:password</c> / <c>-a user:password</c> (curl, wget, httpie, git) for any
/// tool, and the tool-specific ones: <c>-p X</c> after <c>docker|podman|helm … login</c> and <c>sshpass</c>, the glued
/// <c>-pX</c> of the MySQL clients, <c>-a X</c> of <c>redis-cli</c>. Each command's line is read once.
/// </summary>
internal static class CommandLineSecrets
{
    private const int MaxLine = 4096;

    private static readonly string[] Tools =
    [
        "docker login", "podman login", "buildah login", "skopeo login", "helm registry login", "oras login", "nerdctl login",
        "sshpass", "mysql", "mysqldump", "mysqladmin", "mariadb", "redis-cli", "curl", "wget", "http ", "git ",
    ];

    private static readonly SearchValues<string> ToolNames = SearchValues.Create(Tools, StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<char> ValueEnds = SearchValues.Create(" \t\r\n\"'`;|&)");
    private static readonly SearchValues<char> LineEnds = SearchValues.Create("\r\n");

    public static bool MayContain(string text) => text.AsSpan().ContainsAny(ToolNames);

    public static string Redact(string text)
    {
        var writer = new SpanWriter(text);
        var from = 0;
        var lineEnd = -1; // cached: the end of the line of the last command (searched once per line)
        while (Scan.IndexOfAny(text, from, ToolNames) is var hit and >= 0)
        {
            var tool = Tools.First(t => text.AsSpan(hit).StartsWith(t, StringComparison.OrdinalIgnoreCase));
            if (lineEnd < hit)
            {
                lineEnd = Scan.IndexOfAny(text, hit, LineEnds) is var nl and >= 0 ? nl : text.Length;
            }

            var end = Math.Min(lineEnd, hit + MaxLine);
            from = end;
            if (hit > 0 && char.IsAsciiLetterOrDigit(text[hit - 1]))
            {
                from = hit + 1;
                continue;
            }

            var passwordFlag = tool switch
            {
                "sshpass" => "-p",
                "redis-cli" => "-a",
                _ when tool.EndsWith("login", StringComparison.Ordinal) => "-p",
                _ => null,
            };
            var glued = tool is "mysql" or "mysqldump" or "mysqladmin" or "mariadb";
            MaskFlags(text, hit + tool.Length, end, passwordFlag, glued, ref writer);
        }

        return writer.Finish();
    }

    /// <summary>Walks the arguments of one command line.</summary>
    private static void MaskFlags(string text, int start, int end, string? passwordFlag, bool gluedPassword, ref SpanWriter writer)
    {
        var i = start;
        while (i < end)
        {
            while (i < end && text[i] is ' ' or '\t')
            {
                i++;
            }

            var argStart = i;
            var argEnd = text.AsSpan(i, end - i).IndexOfAny(ValueEnds) is var e and >= 0 ? i + e : end;
            argEnd = Math.Max(argEnd, Math.Min(i + 1, end));
            Scan.Count(argEnd - argStart);
            var arg = text.AsSpan(argStart, argEnd - argStart);
            i = argEnd;

            if (arg.SequenceEqual(passwordFlag) || arg is "-u" or "--user" or "-a" or "--auth" or "--password" or "--pass")
            {
                var (valueStart, valueEnd) = NextArgument(text, i, end);
                if (valueEnd > valueStart)
                {
                    var value = text.AsSpan(valueStart, valueEnd - valueStart);
                    if (arg.SequenceEqual(passwordFlag) || arg is "--password" or "--pass")
                    {
                        MaskUnlessFlag(valueStart, valueEnd, value, ref writer);
                    }
                    else if (value.IndexOf(':') is var colon and > 0 && KeyValueSecrets.LooksLikeCredential(value[(colon + 1)..]))
                    {
                        writer.Replace(valueStart + colon + 1, valueEnd, Placeholders.Password);
                    }

                    i = Math.Max(i, valueEnd);
                }
            }
            else if ((arg.StartsWith("--user=") || arg.StartsWith("-u")) && arg.IndexOf(':') is var colon and > 0 && arg.Length > 2
                && KeyValueSecrets.LooksLikeCredential(arg[(colon + 1)..]))
            {
                writer.Replace(argStart + colon + 1, argEnd, Placeholders.Password); // -uuser:pass, --user=user:pass
            }
            else if (gluedPassword && arg.Length > 2 && arg.StartsWith("-p") && !arg.StartsWith("-p=") && arg[2] != '-')
            {
                writer.Replace(argStart + 2, argEnd, Placeholders.Password); // mysql -pSECRET (a bare -p prompts)
            }
            else if (gluedPassword && arg.StartsWith("--password="))
            {
                writer.Replace(argStart + 11, argEnd, Placeholders.Password);
            }
        }
    }

    private static void MaskUnlessFlag(int start, int end, ReadOnlySpan<char> value, ref SpanWriter writer)
    {
        if (value[0] != '-' && value[0] != '$' && !value.StartsWith(Placeholders.RedactedPrefix, StringComparison.Ordinal))
        {
            writer.Replace(start, end, Placeholders.Password);
        }
    }

    /// <summary>The next argument after blanks: a quoted string (without its quotes) or a run up to a blank.</summary>
    private static (int Start, int End) NextArgument(string text, int i, int end)
    {
        while (i < end && text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i < end && text[i] is '"' or '\'')
        {
            var close = text.IndexOf(text[i], i + 1, end - i - 1);
            Scan.Count((close < 0 ? end : close) - i);
            return (i + 1, close < 0 ? end : close);
        }

        var stop = text.AsSpan(i, end - i).IndexOfAny(ValueEnds) is var s and >= 0 ? i + s : end;
        Scan.Count(stop - i);
        return (i, stop);
    }
}

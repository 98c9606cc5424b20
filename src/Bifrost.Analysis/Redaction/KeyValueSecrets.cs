using System.Buffers;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks the values of secret-named keys in every syntax logs use: <c>key=value</c>, <c>key: value</c>,
/// <c>key =&gt; value</c>, <c>key := value</c>, JSON <c>"key": "value"</c> (also JSON inside a JSON string,
/// <c>\"key\":\"value\"</c>), XML <c>&lt;key&gt;value&lt;/key&gt;</c>, command-line flags <c>--password X</c>, and a
/// secret-looking value after a compound secret name and a space (<c>AWS_SECRET_ACCESS_KEY wJalr…</c>). Which names
/// are secrets is <see cref="SecretKeyNames"/>'s decision. Values are masked to their end however long they are.
/// Anchored on the secret words; each key and value is read once and consumed, so the time is linear.
/// </summary>
internal static class KeyValueSecrets
{
    private const int MaxKeyLength = 64;

    private static readonly SearchValues<string> Anchors = SearchValues.Create(
        ["pass", "pw", "secret", "token", "key", "credential", "creds", "sig", "session", "sessid", "auth", "cookie", "sas", "psk", "jwt"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<char> KeyChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");
    private static readonly SearchValues<char> ValueEnds = SearchValues.Create(" \t\r\n,;\"'`}])<>");
    private static readonly SearchValues<char> QueryValueEnds = SearchValues.Create(" \t\r\n,;&#\"'`}])<>");
    private static readonly SearchValues<char> Letters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private static readonly SearchValues<char> XmlValueEnds = SearchValues.Create("<\r\n");

    // Words that, right after "token:" or "password:", report a state rather than give the value.
    private static readonly HashSet<string> StateWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "expired", "invalid", "missing", "required", "empty", "null", "nil", "none", "undefined", "true", "false", "ok",
        "valid", "revoked", "denied", "rejected", "unknown", "not", "is", "was", "are", "were", "must", "should", "set",
        "unset", "provided", "present", "absent", "wrong", "incorrect", "mismatch", "failed", "failure", "error",
        "changed", "updated", "reset", "too", "can", "cannot", "has", "does", "did", "will", "refreshed", "rotated",
        "accepted", "verified", "malformed", "blank", "n/a", "redacted", "hidden", "masked", "omitted", "yes", "no",
        "for", "from", "of", "in", "on", "the", "a", "an", "and", "or", "to", "with", "without", "at", "by",
    };

    public static bool MayContain(string text) => text.AsSpan().ContainsAny(Anchors);

    public static string Redact(string text)
    {
        var writer = new SpanWriter(text);
        var from = 0;
        while (Scan.IndexOfAny(text, from, Anchors) is var hit and >= 0)
        {
            var keyStart = Scan.RunStart(text, hit, KeyChars, MaxKeyLength);
            var keyEnd = Scan.RunEnd(text, hit, KeyChars, MaxKeyLength);
            if ((keyStart > 0 && KeyChars.Contains(text[keyStart - 1])) || (keyEnd < text.Length && KeyChars.Contains(text[keyEnd])) || keyEnd - keyStart > MaxKeyLength)
            {
                from = Scan.RunEnd(text, keyEnd, KeyChars); // part of a long token, not a key: skip all of it
                continue;
            }

            from = keyEnd;
            var key = text.AsSpan(keyStart, keyEnd - keyStart).Trim(".-");
            var (strength, placeholder) = SecretKeyNames.Classify(key);
            if (placeholder is null || keyStart < writer.Copied)
            {
                continue;
            }

            var isFlag = text[keyStart] == '-';
            var value = ValueAfter(text, keyStart, keyEnd);
            if (value is not { } v || v.End <= v.Start || Scan.IsPlaceholderAt(text, v.Start))
            {
                continue;
            }

            var valueText = text.AsSpan(v.Start, v.End - v.Start);
            if (v.Form != ValueForm.Quoted && valueText[0] is '{' or '[' or '(')
            {
                continue; // a structure: its own keys are judged one by one
            }

            var mask = v.Form switch
            {
                ValueForm.Assigned or ValueForm.Quoted or ValueForm.Xml => strength == SecretKeyNames.Strength.Strong || LooksLikeCredential(valueText),
                // "password: letmein" gives a value; "Token: Token {…}" and "auth: SIMPLE" name a type or a mode.
                ValueForm.Colon => LooksLikeCredential(valueText) || (strength == SecretKeyNames.Strength.Strong && !IsStateWord(valueText)
                    && (!valueText.ContainsAnyExceptInRange('a', 'z') || (valueText.Length >= 3 && valueText.ContainsAnyExcept(Letters)))),
                ValueForm.Prose => strength == SecretKeyNames.Strength.Strong && LooksLikeCredential(valueText),
                _ => isFlag ? !IsStateWord(valueText) && valueText[0] != '-' : strength == SecretKeyNames.Strength.Strong && CountWords(key) >= 2 && LooksLikeCredential(valueText),
            };

            // A session or token given as a hex number ("sessionid: 0x14ede63a5a70002", ZooKeeper) is an id, not a bearer secret.
            if (mask && placeholder == Placeholders.Token && valueText.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !valueText[2..].ContainsAnyExcept(Scan.Hex))
            {
                mask = false;
            }

            // PWD=/home/app is the working directory, not a password.
            if (mask && key.TrimStart('-').Length <= 6 && key.EndsWith("pwd", StringComparison.OrdinalIgnoreCase) && valueText[0] is '/' or '~')
            {
                mask = false;
            }

            if (mask && !IsPlaceholderValue(valueText))
            {
                writer.Replace(v.Start, v.End, placeholder);
                from = Math.Max(from, v.End);
            }
        }

        return writer.Finish();
    }

    private enum ValueForm
    {
        Assigned, // = => :=
        Colon, // key: value (YAML, logfmt-ish prose)
        Quoted, // any separator, quoted value
        Xml, // <key>value</key>
        Spaced, // key value (flags, compound names)
        Prose, // key is value
    }

    private readonly record struct Value(int Start, int End, ValueForm Form);

    private static Value? ValueAfter(string text, int keyStart, int keyEnd)
    {
        var i = keyEnd;
        if (keyStart > 0 && text[keyStart - 1] == '<' && i < text.Length && text[i] == '>')
        {
            var end = Scan.IndexOfAny(text, i + 1, XmlValueEnds);
            return new Value(i + 1, end < 0 ? text.Length : end, ValueForm.Xml);
        }

        // A closing quote of the key: " ' or \" (JSON inside a JSON string).
        if (i + 1 < text.Length && text[i] == '\\' && text[i + 1] == '"')
        {
            i += 2;
        }
        else if (i < text.Length && text[i] is '"' or '\'')
        {
            i++;
        }

        i = SkipBlanks(text, i);
        var form = ValueForm.Spaced;
        if (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '=' && next == '>')
            {
                (form, i) = (ValueForm.Assigned, i + 2);
            }
            else if (c == ':' && next == '=')
            {
                (form, i) = (ValueForm.Assigned, i + 2);
            }
            else if (c == '=' && next != '=')
            {
                (form, i) = (ValueForm.Assigned, i + 1);
            }
            else if (c == ':' && next is not (':' or '/'))
            {
                (form, i) = (ValueForm.Colon, i + 1);
            }
            else if (i == keyEnd)
            {
                return null; // neither a separator nor a space after the key
            }
            else if (text.AsSpan(i).StartsWith("is ", StringComparison.Ordinal) || text.AsSpan(i).StartsWith("was ", StringComparison.Ordinal)
                || text.AsSpan(i).StartsWith("set to ", StringComparison.Ordinal) || text.AsSpan(i).StartsWith("changed to ", StringComparison.Ordinal))
            {
                // "the new password is "Tmp!2024"": prose that gives the value
                (form, i) = (ValueForm.Prose, text.IndexOf(' ', i) + 1);
                var afterVerb = text.AsSpan(i);
                if (afterVerb.StartsWith("to ", StringComparison.Ordinal))
                {
                    i += 3;
                }
            }
        }

        i = SkipBlanks(text, i);
        if (i >= text.Length)
        {
            return null;
        }

        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '"')
        {
            var close = Scan.IndexOf(text, "\\\"", i + 2);
            return new Value(i + 2, close < 0 ? text.Length : close, ValueForm.Quoted);
        }

        if (text[i] is '"' or '\'' or '`')
        {
            return new Value(i + 1, QuotedEnd(text, i + 1, text[i]), ValueForm.Quoted);
        }

        if (form == ValueForm.Spaced && i == keyEnd)
        {
            return null;
        }

        // '&' ends a value only in a URL query ("?token=…&next=…"); elsewhere it is part of it ("DB_PASS=Tr0ub4dor&3").
        var inQuery = keyStart > 0 && text[keyStart - 1] is '?' or '&';
        var stop = Scan.IndexOfAny(text, i, inQuery ? QueryValueEnds : ValueEnds);
        return new Value(i, stop < 0 ? text.Length : stop, form);
    }

    private static int SkipBlanks(string text, int i)
    {
        var n = 0;
        while (i < text.Length && text[i] is ' ' or '\t' && n++ < 4)
        {
            i++;
        }

        return i;
    }

    /// <summary>The closing quote (backslash escapes honoured) or the end of the line; a quoted value never spans lines.</summary>
    private static int QuotedEnd(string text, int start, char quote)
    {
        var i = start;
        while (i < text.Length && text[i] != quote && text[i] != '\n')
        {
            i += text[i] == '\\' && i + 1 < text.Length ? 2 : 1;
        }

        Scan.Count(i - start);
        return Math.Min(i, text.Length);
    }

    private static bool IsStateWord(ReadOnlySpan<char> value)
    {
        var lookup = StateWords.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.Contains(value.TrimEnd(".!"));
    }

    /// <summary>Random or structured enough to be a credential: not a plain word, not a state.</summary>
    internal static bool LooksLikeCredential(ReadOnlySpan<char> value)
    {
        if (value.Length < 6 || IsStateWord(value))
        {
            return false;
        }

        if (value.Length >= 16)
        {
            return true;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsDigit(c) || !char.IsLetter(c))
            {
                return true;
            }
        }

        // Letters only: a credential mixes case ("hUnTer"); a word is one case ("SIMPLE", "expired") or capitalised.
        var rest = value[1..];
        return rest.ContainsAnyInRange('A', 'Z') && rest.ContainsAnyInRange('a', 'z');
    }

    /// <summary>Values that hold nothing to hide: already masked, starred out, or a template reference.</summary>
    private static bool IsPlaceholderValue(ReadOnlySpan<char> value) =>
        value.StartsWith(Placeholders.RedactedPrefix, StringComparison.Ordinal)
        || value.IndexOfAnyExcept('*') < 0
        || value.SequenceEqual("[REDACTED]") || value.SequenceEqual("[FILTERED]");

    private static int CountWords(ReadOnlySpan<char> key)
    {
        var words = 0;
        var inWord = false;
        for (var i = 0; i < key.Length; i++)
        {
            var letter = char.IsLetterOrDigit(key[i]);
            if (letter && (!inWord || (char.IsUpper(key[i]) && i > 0 && char.IsLower(key[i - 1]))))
            {
                words++;
            }

            inWord = letter;
        }

        return words;
    }
}

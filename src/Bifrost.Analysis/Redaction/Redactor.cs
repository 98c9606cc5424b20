namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Masks secrets and personal data before any text leaves the process: private key blocks, URL passwords and
/// webhook URLs, credential headers, vendor tokens, JWTs and cloud keys, secret-named <c>key=value</c> pairs in any
/// syntax, bare random credentials, e-mail addresses, card numbers, national ids and phone numbers. IP addresses,
/// host names, ports, UUIDs, hashes and version numbers are kept: they are what an on-call engineer needs to
/// diagnose (docs/security.md says why).
/// Static, thread-safe and linear-time on any input: every pass is a hand-written left-to-right scanner that reads
/// each character a bounded number of times (no regular expressions, so no backtracking and no timeouts; the
/// hostile-input tests assert the bound through <see cref="Scan.Work"/>). Idempotent: redacting redacted text
/// changes nothing, so every layer may call it again safely.
/// </summary>
public static class Redactor
{
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Order matters: whole blocks and structured credentials first, so later passes see placeholders.
        if (PrivateKeyBlocks.MayContain(text)) text = PrivateKeyBlocks.Redact(text);
        if (UrlCredentials.MayContain(text)) text = UrlCredentials.Redact(text);
        if (CredentialHeaders.MayContain(text)) text = CredentialHeaders.Redact(text);
        text = VendorTokens.Redact(text);
        if (KeyValueSecrets.MayContain(text)) text = KeyValueSecrets.Redact(text);
        if (CommandLineSecrets.MayContain(text)) text = CommandLineSecrets.Redact(text);
        if (text.Length >= 32) text = RandomTokens.Redact(text);
        if (EmailAddresses.MayContain(text)) text = EmailAddresses.Redact(text);
        if (PersonalNumbers.MayContain(text))
        {
            text = CardNumbers.Redact(text);
            text = PersonalNumbers.Redact(text);
        }

        return text;
    }

    /// <summary>
    /// Redacts first, clips second: a secret straddling the cut is masked whole, and the cut never lands inside a
    /// placeholder. Appends "…" when it cut.
    /// </summary>
    public static string RedactAndClip(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Clip(Redact(text), maxLength);
    }

    /// <summary>Cuts already-redacted text to <paramref name="maxLength"/> characters (+ "…"), backing off to before a placeholder it would split.</summary>
    public static string Clip(string redacted, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(redacted);
        if (redacted.Length <= maxLength)
        {
            return redacted;
        }

        var cut = maxLength;
        var open = redacted.LastIndexOf('<', cut - 1, Math.Min(cut, 32));
        if (open >= 0 && redacted.IndexOf('>', open) is var close and >= 0 && close >= cut && Scan.IsPlaceholderAt(redacted, open))
        {
            cut = open;
        }

        if (cut > 0 && char.IsHighSurrogate(redacted[cut - 1]))
        {
            cut--;
        }

        return redacted[..cut] + "…";
    }
}

using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bifrost.Messaging;

/// <summary>Formatting rules the contract fixes for everything Bifrost writes.</summary>
internal static class ContractJson
{
    /// <summary>Non-ASCII text (e.g. Korean) stays readable; output is never embedded in HTML.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// UTC in whole seconds (truncated) with a literal Z, e.g. 2026-11-12T10:30:15Z: the contract's corrected format
    /// and the only one Heimdall's strict release accepts (<c>yyyy-MM-dd'T'HH:mm:ss'Z'</c>: no fraction, no offset).
    /// </summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Record keys and headers that must be text: UTF-8 when valid, else base64 with a prefix.</summary>
    public static string TextOrBase64(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return "base64:" + Convert.ToBase64String(bytes);
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}

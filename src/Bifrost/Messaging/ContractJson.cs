using System.Buffers;
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
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary><see cref="Timestamp"/> written straight into a record (no string in between: results are written per record).</summary>
    public static void WriteTimestamp(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> text = stackalloc byte[32];
        if (!value.UtcDateTime.TryFormat(text, out var written, TimestampFormat, CultureInfo.InvariantCulture))
        {
            throw new FormatException($"timestamp {value:O} does not fit {TimestampFormat}");
        }

        writer.WriteString(name, text[..written]);
    }

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    // One writer and buffer per thread, reset for each record: the only allocation left is the returned array.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// This thread's record writer, emptied: write one record, then <see cref="FinishRecord"/>. Records are written one
    /// at a time on a thread (never nested), so one buffer per thread serves every result writer.
    /// </summary>
    public static Utf8JsonWriter StartRecord()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        return writer;
    }

    /// <summary>The record <see cref="StartRecord"/>'s writer holds, as its own array.</summary>
    public static byte[] FinishRecord(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Flush();
        return t_buffer!.WrittenSpan.ToArray();
    }

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

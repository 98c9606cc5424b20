using System.Text.Json;

namespace Bifrost.Analysis.Redaction;

/// <summary>
/// Redacts structured fields (a request's <c>metadata</c>): every property name and string value goes through
/// <see cref="Redactor"/>, and a property whose name says it holds a secret (<see cref="SecretKeyNames"/>:
/// <c>"password"</c>, <c>"db_pw"</c>, <c>"AccountKey"</c>) has its value masked whole, whatever its shape (a
/// string, a number, or every leaf of a nested object). Numbers that read as cards, phones or ids become the
/// placeholder string; other numbers, booleans and nulls are kept.
/// The output is compact JSON of the same structure.
/// </summary>
public static class JsonRedactor
{
    public static string Redact(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 256 }))
        {
            Write(writer, element, inheritedPlaceholder: null);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, string? inheritedPlaceholder)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(Redactor.Redact(property.Name));
                    var placeholder = inheritedPlaceholder;
                    if (placeholder is null)
                    {
                        var (strength, named) = SecretKeyNames.Classify(property.Name);
                        placeholder = strength switch
                        {
                            SecretKeyNames.Strength.Strong => named,
                            SecretKeyNames.Strength.Weak when property.Value.ValueKind == JsonValueKind.String
                                && KeyValueSecrets.LooksLikeCredential(property.Value.GetString()) => named,
                            _ => null,
                        };
                    }

                    Write(writer, property.Value, placeholder);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, inheritedPlaceholder);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(inheritedPlaceholder ?? Redactor.Redact(element.GetString()!));
                break;
            case JsonValueKind.Number:
                // A number can be a card, a phone or a national id too ({"card": 4111111111111111}).
                var raw = element.GetRawText();
                var redacted = inheritedPlaceholder ?? Redactor.Redact(raw);
                if (ReferenceEquals(redacted, raw))
                {
                    element.WriteTo(writer);
                }
                else
                {
                    writer.WriteStringValue(redacted);
                }

                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}

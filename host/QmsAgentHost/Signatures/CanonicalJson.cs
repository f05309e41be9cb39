using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using QmsAgentHost.Data;

namespace QmsAgentHost.Signatures;

/// <summary>
/// The canonical JSON of a signed record, whose SHA-256 binds a signature to the record's content:
/// the record serialized as the API shows it (camelCase, enums as names), then every object's keys
/// sorted ordinally (by UTF-16 code unit, as in RFC 8785) at every level, no whitespace, strings
/// with minimal escaping. Array order and number text are kept as serialized.
/// </summary>
internal static class CanonicalJson
{
    // Minimal escaping: the text is hashed, never embedded in HTML, and must not depend on an escaping policy.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                Write(writer, PluginValueJson.ToElement(value));
            }
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 canonical JSON.</summary>
    public static string Sha256Hex(object? value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(value))));

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                string? previous = null;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (previous == property.Name)
                    {
                        throw new ArgumentException($"The record has the key '{property.Name}' twice; its canonical form is undefined.");
                    }
                    previous = property.Name;
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.WriteBooleanValue(element.GetBoolean());
                break;
            case JsonValueKind.Null:
                writer.WriteNullValue();
                break;
            default:
                throw new ArgumentException($"A record cannot contain a JSON {element.ValueKind}.");
        }
    }
}

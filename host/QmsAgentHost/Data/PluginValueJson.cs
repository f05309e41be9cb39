using System.Text.Json;
using System.Text.Json.Serialization;

namespace QmsAgentHost.Data;

/// <summary>
/// How values a plugin hands to the host (audit entries, records to sign) become JSON: as the API
/// shows them, camelCase with enums as names. These options cache the metadata of plugin types like
/// any others; unloading a plugin resets the serializer's caches (<c>SerializerCaches</c>), and
/// <c>SignatureServiceTests</c> proves a plugin that audited and signed is still collected.
/// </summary>
internal static class PluginValueJson
{
    public static JsonSerializerOptions Options { get; } =
        new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static JsonElement ToElement(object value) =>
        value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, value.GetType(), Options);
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace QmsAgentHost.Plugins;

/// <summary>
/// Argument names whose values are credentials (an electronic signature's password or signing token):
/// never stored with a pending action, never written to the audit trail, never shown.
/// </summary>
public static class SecretArguments
{
    public const string Mask = "***";

    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase) { "password", "signingToken", "signing_token", "apiKey" };

    public static bool IsSecret(string name) => Names.Contains(name);

    /// <summary>A copy of <paramref name="arguments"/> with every secret value (at any depth) replaced by <see cref="Mask"/>.</summary>
    public static JsonElement Masked(IReadOnlyDictionary<string, JsonElement> arguments)
    {
        var root = new JsonObject();
        foreach (var (name, value) in arguments)
        {
            root[name] = IsSecret(name) ? JsonValue.Create(Mask) : MaskNode(JsonNode.Parse(value.GetRawText()));
        }
        return JsonSerializer.SerializeToElement(root);
    }

    /// <summary>The arguments without the secret ones: what a pending action stores.</summary>
    public static Dictionary<string, JsonElement> Without(IReadOnlyDictionary<string, JsonElement> arguments) =>
        arguments.Where(a => !IsSecret(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.OrdinalIgnoreCase);

    private static JsonNode? MaskNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    obj[name] = IsSecret(name) ? JsonValue.Create(Mask) : MaskNode(obj[name]?.DeepClone());
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = MaskNode(array[i]?.DeepClone());
                }
                return array;
            default:
                return node;
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.SemanticKernel;

namespace QmsAgentHost.Plugins;

/// <summary>
/// The argument checks every call gets before the library binds them: no unknown names, every
/// required one present, each value of its parameter's type. Values arrive as JSON (API, workflows,
/// stored pending actions), as the model's JSON or as strings; they leave typed, with clear errors.
/// </summary>
internal static class FunctionArguments
{
    /// <summary>The serializer options each plugin gets (private to it: see <see cref="PluginRuntime.Json"/>).</summary>
    public static JsonSerializerOptions CreatePluginOptions() => new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // Models often send numbers as strings ("5"); the API documents JSON types, so this only forgives.
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        // Its own resolver, so the metadata it caches for the plugin's types goes with the plugin.
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static void Prepare(PluginFunction function, KernelArguments arguments, JsonSerializerOptions json)
    {
        var parameters = function.Method.GetParameters().Where(PluginFunction.IsArgument).ToList();
        var known = parameters.Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = arguments.Names.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new FunctionArgumentException(
                $"{function.QualifiedName} has no argument {string.Join(", ", unknown.Select(u => $"'{u}'"))}. It takes: {string.Join(", ", known)}.");
        }
        var described = function.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var name = parameter.Name!;
            var supplied = arguments.TryGetValue(name, out var value);
            // The binder matches names exactly; callers may not have.
            arguments.Remove(name);
            if (!supplied || value is null || value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
            {
                if (described[name].Required)
                {
                    throw new FunctionArgumentException($"Argument '{name}' is required.");
                }
                if (!parameter.HasDefaultValue)
                {
                    arguments[name] = null;
                }
                continue;
            }
            arguments[name] = Convert(value, parameter.ParameterType, json)
                ?? throw new FunctionArgumentException($"Argument '{name}' must be {FunctionParameter.Expectation(parameter.ParameterType)}.");
        }
    }

    private static object? Convert(object value, Type type, JsonSerializerOptions json)
    {
        if (type.IsInstanceOfType(value))
        {
            return value;
        }
        try
        {
            switch (value)
            {
                case JsonElement element:
                    return element.Deserialize(type, json);
                case string text:
                    // A string for a date, an enum or a number reads as that JSON string; else it may be JSON itself.
                    try
                    {
                        return JsonSerializer.SerializeToElement(text).Deserialize(type, json);
                    }
                    catch (JsonException)
                    {
                        using var document = JsonDocument.Parse(text);
                        return document.RootElement.Deserialize(type, json);
                    }
                default:
                    return JsonSerializer.SerializeToElement(value, value.GetType(), json).Deserialize(type, json);
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The arguments as JSON, as the plugin's serializer writes them.</summary>
    public static Dictionary<string, JsonElement> ToJson(KernelArguments arguments, JsonSerializerOptions? json) =>
        arguments.ToDictionary(
            a => a.Key,
            a => a.Value switch
            {
                JsonElement element => element,
                null => JsonSerializer.SerializeToElement<object?>(null),
                var other => JsonSerializer.SerializeToElement(other, other.GetType(), json ?? JsonSerializerOptions.Web),
            },
            StringComparer.OrdinalIgnoreCase);

    public static JsonElement ResultToJson(object? value, JsonSerializerOptions json) => value switch
    {
        JsonElement element => element.Clone(),
        null => JsonSerializer.SerializeToElement<object?>(null, json),
        _ => JsonSerializer.SerializeToElement(value, value.GetType(), json),
    };
}

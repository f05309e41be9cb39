using System.Text.Json;

namespace QmsAgentHost.Api;

/// <summary>
/// Reads a JSON body once, before any endpoint does, and refuses what no endpoint should have to
/// handle: text that is not JSON, nesting deeper than the limit, a property given twice in one
/// object (names compare case-insensitively, as the binders do), a NUL or half a surrogate pair in
/// any name or string, and numbers longer than any type can hold.
/// </summary>
internal static class JsonBodyCheck
{
    private const int MaxNumberLength = 64;

    /// <summary>The field (a JSON path) and what is wrong with it, or null when the body is fine.</summary>
    public static (string Field, string Error)? Find(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
        var names = new Stack<HashSet<string>>();
        var path = new List<string>();
        string? pending = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            names.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        }
                        path.Add(pending ?? "");
                        pending = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            names.Pop();
                        }
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (InputText.Problem(name) is { } badName)
                        {
                            return (Path(path, name), $"The property name {badName}.");
                        }
                        if (!names.Peek().Add(name))
                        {
                            return (Path(path, name), "This property is given more than once in the same object (names are compared ignoring case).");
                        }
                        pending = name;
                        break;
                    case JsonTokenType.String:
                        if (InputText.Problem(reader.GetString()) is { } badValue)
                        {
                            return (Path(path, pending), $"The value {badValue}.");
                        }
                        pending = null;
                        break;
                    case JsonTokenType.Number when reader.ValueSpan.Length > MaxNumberLength:
                        return (Path(path, pending), $"The number has more than {MaxNumberLength} characters.");
                    default:
                        pending = null;
                        break;
                }
            }
            return null;
        }
        catch (JsonException ex)
        {
            return (Path(path, pending), $"The body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            return (Path(path, pending), "A string contains an escape (\\uD800-\\uDFFF) that is half of a surrogate pair, which is not text.");
        }
    }

    private static string Path(List<string> path, string? last)
    {
        var segments = path.Skip(1).Where(s => s.Length > 0).Append(last ?? "").Where(s => s.Length > 0).ToList();
        return segments.Count == 0 ? "$" : string.Join('.', segments);
    }
}

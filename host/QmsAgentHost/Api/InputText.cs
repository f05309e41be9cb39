namespace QmsAgentHost.Api;

/// <summary>What a string from a request may not contain, whichever way it arrived.</summary>
internal static class InputText
{
    /// <summary>Why <paramref name="value"/> is refused (a NUL, which PostgreSQL cannot store, or half a surrogate pair), or null.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return "contains a NUL character (U+0000), which is not allowed";
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "contains half of a UTF-16 surrogate pair, which is not text";
            }
        }
        return null;
    }

    /// <summary>Control characters (other than tab) in a header value or a path.</summary>
    public static bool HasControl(string? value) =>
        value is not null && value.Any(c => (c < 0x20 && c != '\t') || c == 0x7F || char.IsSurrogate(c));
}

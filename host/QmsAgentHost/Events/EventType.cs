using System.Text.RegularExpressions;

namespace QmsAgentHost.Events;

/// <summary>Event types are dotted lower-case words, the first naming the publisher: <c>ncm.created</c>.</summary>
internal static partial class EventType
{
    public static bool IsValid(string? type) => type is { Length: <= 100 } && Pattern().IsMatch(type);

    [GeneratedRegex("^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$")]
    private static partial Regex Pattern();
}

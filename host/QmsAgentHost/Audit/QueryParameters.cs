using System.Globalization;
using System.Text.RegularExpressions;

namespace QmsAgentHost.Audit;

/// <summary>
/// Reads and validates query-string parameters, collecting every problem so the caller gets one
/// RFC 7807 validation problem naming each bad parameter. Unknown parameters are errors too: a
/// misspelt filter on an audit trail must not silently return everything.
/// </summary>
internal sealed partial class QueryParameters
{
    private readonly IQueryCollection _query;
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public QueryParameters(IQueryCollection query, IReadOnlyCollection<string> known)
    {
        _query = query;
        foreach (var key in query.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            AddError(key, $"Unknown parameter. Known parameters: {string.Join(", ", known)}.");
        }
    }

    public bool IsValid => _errors.Count == 0;

    public Dictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void AddError(string name, string message)
    {
        if (!_errors.TryGetValue(name, out var messages))
        {
            _errors[name] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>The value of <paramref name="name"/>, or null when absent. Empty or repeated values are errors.</summary>
    public string? Text(string name, int maxLength)
    {
        if (!_query.TryGetValue(name, out var values))
        {
            return null;
        }
        if (values.Count != 1)
        {
            AddError(name, "Give this parameter once.");
            return null;
        }
        var value = values[0] ?? "";
        if (value.Length == 0 || value.Length > maxLength)
        {
            AddError(name, $"Must be 1 to {maxLength} characters.");
            return null;
        }
        return value;
    }

    /// <summary>Like <see cref="Text"/>, and absence is an error.</summary>
    public string? RequiredText(string name, int maxLength)
    {
        if (!_query.ContainsKey(name))
        {
            AddError(name, "Required.");
            return null;
        }
        return Text(name, maxLength);
    }

    public long? Integer(string name, long min, long max)
    {
        if (Text(name, 20) is not { } text)
        {
            return null;
        }
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            AddError(name, max == long.MaxValue ? $"Must be an integer of at least {min}." : $"Must be an integer from {min} to {max}.");
            return null;
        }
        return value;
    }

    public Guid? Uuid(string name)
    {
        if (Text(name, 36) is not { } text)
        {
            return null;
        }
        if (!Guid.TryParseExact(text, "D", out var value))
        {
            AddError(name, "Must be a UUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301.");
            return null;
        }
        return value;
    }

    /// <summary>An ISO 8601 date or date-time; without an offset it is taken as UTC.</summary>
    public DateTimeOffset? DateTime(string name)
    {
        if (Text(name, 40) is not { } text)
        {
            return null;
        }
        if (!IsoDateTime().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            AddError(name, "Must be an ISO 8601 date-time such as 2026-03-01T08:00:00Z (write + in an offset as %2B).");
            return null;
        }
        return value;
    }

    public string? OneOf(string name, params string[] allowed)
    {
        if (Text(name, 40) is not { } text)
        {
            return null;
        }
        if (!allowed.Contains(text, StringComparer.Ordinal))
        {
            AddError(name, $"Must be one of: {string.Join(", ", allowed)}.");
            return null;
        }
        return text;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$")]
    private static partial Regex IsoDateTime();
}

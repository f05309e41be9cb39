using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Text;

/// <summary>A count of items: <c>14 pieces</c>, <c>qty 500</c>, <c>500 x 7710-S</c>.</summary>
/// <param name="Value">How many.</param>
/// <param name="Unit">The word counted (<c>pcs</c>, <c>housings</c>), or null when a cue such as <c>qty</c> gave the number.</param>
/// <param name="Span">Where it was written.</param>
public sealed record Quantity(decimal Value, string? Unit, TextSpan Span);

/// <summary>
/// Finds counts of items. A number counts when a count unit (<c>pcs</c>, <c>pieces</c>, <c>units</c>),
/// a plural noun (<c>14 housings</c>), a cue (<c>qty 12</c>, <c>quantity: 12</c>) or a multiplication
/// sign before a part (<c>500 x 7710-S</c>) marks it. Numbers of days, millimetres, percent, money,
/// clauses, dates, record numbers and "top 5" are not counts.
/// </summary>
public static partial class Quantities
{
    private static readonly HashSet<string> NotCounted = new(StringComparer.OrdinalIgnoreCase)
    {
        "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "hrs", "minute", "minutes", "min",
        "second", "seconds", "sec", "mm", "cm", "m", "km", "um", "µm", "micron", "microns", "in", "inch", "inches", "ft", "kg", "g",
        "mg", "t", "lb", "lbs", "bar", "psi", "nm", "n", "v", "a", "w", "kw", "c", "°c", "deg", "degrees", "percent", "%", "times",
        "eur", "euro", "euros", "usd", "dollar", "dollars", "gbp", "chf", "am", "pm", "o'clock", "of", "and", "or", "to", "the",
        "per", "for", "at", "on", "by", "with", "from", "mins", "shifts", "shift", "nd", "st", "rd", "th",
    };

    private static readonly HashSet<string> Units = new(StringComparer.OrdinalIgnoreCase)
    {
        "pc", "pcs", "pce", "pces", "piece", "pieces", "part", "parts", "unit", "units", "ea", "each", "item", "items", "off",
        "nos", "no", "qty", "lots", "boxes", "box", "cartons", "pallets", "sets", "set", "pairs", "rolls", "sheets",
    };

    /// <summary>Every count in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<Quantity> FindAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var blocked = Blocked(text);
        var found = new List<Quantity>();
        foreach (Match m in Cued().Matches(text))
        {
            Add(found, blocked, m.Groups["n"], null);
        }
        foreach (Match m in Times().Matches(text))
        {
            Add(found, blocked, m.Groups["n"], "x");
        }
        foreach (Match m in WithNoun().Matches(text))
        {
            var noun = m.Groups["unit"].Value;
            var isUnit = Units.Contains(noun);
            var isPlural = noun.Length > 3 && noun.EndsWith('s') && !NotCounted.Contains(noun);
            if ((isUnit || isPlural) && !NotCounted.Contains(noun) && !Preceded(text, m.Index, "top", "clause", "section", "rev", "version", "v"))
            {
                Add(found, blocked, m.Groups["n"], noun.ToLowerInvariant());
            }
        }
        return [.. found.OrderBy(q => q.Span.Index)];
    }

    /// <summary>The first count in <paramref name="text"/>, or null.</summary>
    public static Quantity? Find(string text) => FindAll(text) is [var first, ..] ? first : null;

    private static void Add(List<Quantity> found, List<TextSpan> blocked, Group number, string? unit)
    {
        var span = new TextSpan(number.Index, number.Length);
        if (!number.Success || blocked.Any(b => b.Overlaps(span)) || found.Any(f => f.Span.Overlaps(span))
            || !Numbers.TryParse(number.Value, out var value) || value <= 0)
        {
            return;
        }
        found.Add(new Quantity(value, unit, span));
    }

    // Numbers inside record numbers, dates, e-mails, money and part numbers are never counts.
    private static List<TextSpan> Blocked(string text) =>
    [
        .. RecordIds.FindAll(text).Select(r => r.Span),
        .. Emails.FindAll(text).Select(e => e.Span),
        .. Money.FindAll(text).Select(m => m.Span),
        .. DateLike().Matches(text).Select(m => new TextSpan(m.Index, m.Length)),
        .. PartNumbers.FindAll(text).Select(p => p.Span),
    ];

    private static bool Preceded(string text, int index, params string[] words)
    {
        var before = text[..index].TrimEnd();
        return words.Any(w => before.EndsWith(w, StringComparison.OrdinalIgnoreCase)
            && (before.Length == w.Length || !char.IsLetter(before[before.Length - w.Length - 1])));
    }

    [GeneratedRegex(@"\b(?:qty|quantity|amount|count)\b\s*(?:of|is|=|:)?\s*(?<n>" + Numbers.Pattern + @")\b", RegexOptions.IgnoreCase)]
    private static partial Regex Cued();

    [GeneratedRegex(@"(?<![\w.,])(?<n>\d[\d,]*)\s*[x×*]\s*(?=[A-Za-z0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex Times();

    [GeneratedRegex(@"(?<![\w.,/-])(?<n>" + Numbers.Pattern + @")(?:\s*-\s*|\s+)?(?<unit>[A-Za-zµ°%'][A-Za-z°%']*)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WithNoun();

    [GeneratedRegex(@"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")]
    private static partial Regex DateLike();
}

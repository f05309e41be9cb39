using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Text;

/// <summary>A part number found in text, upper-cased: <c>4471-A</c>, <c>HX-200</c>, <c>88-1020-03</c>.</summary>
/// <param name="Value">The part number.</param>
/// <param name="Span">Where it was written.</param>
/// <param name="Cued">True when a word such as <c>part</c>, <c>p/n</c> or <c>item</c> introduced it (more certain).</param>
public sealed record PartNumber(string Value, TextSpan Span, bool Cued);

/// <summary>
/// Finds part numbers. A token counts when a cue introduces it (<c>part 4711</c>, <c>P/N: 88-1020-03</c>,
/// <c>item HX200</c>), or when it mixes digits with letters or dashes the way part numbers do
/// (<c>4471-A</c>, <c>HX-200</c>, <c>7710-S</c>). Record numbers, dates, e-mail addresses, decimals,
/// standards (<c>ISO 9001:2015</c>, <c>21 CFR 820</c>, clause numbers), lots and dimensions (<c>40x60</c>, <c>M8</c>) do not.
/// </summary>
public static partial class PartNumbers
{
    /// <summary>Every part number in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<PartNumber> FindAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var blocked = new List<TextSpan>(RecordIds.FindAll(text).Select(r => r.Span));
        blocked.AddRange(Emails.FindAll(text).Select(e => e.Span));
        blocked.AddRange(NotParts().Matches(text).Select(m => new TextSpan(m.Index, m.Length)));
        var found = new List<PartNumber>();
        foreach (Match m in CuedToken().Matches(text))
        {
            Add(found, blocked, m.Groups["p"], cued: true);
        }
        foreach (Match m in Shaped().Matches(text))
        {
            if (!Preceded(text, m.Index, "lot", "batch", "lot no", "lot number", "batch no", "order", "po", "invoice", "serial", "sn", "s/n", "clause", "section", "line", "frame no"))
            {
                Add(found, blocked, m.Groups["p"], cued: false);
            }
        }
        return [.. found.OrderBy(p => p.Span.Index)];
    }

    /// <summary>The first part number in <paramref name="text"/> (a cued one first), or null.</summary>
    public static PartNumber? Find(string text)
    {
        var all = FindAll(text);
        return all.FirstOrDefault(p => p.Cued) ?? (all.Count > 0 ? all[0] : null);
    }

    private static void Add(List<PartNumber> found, List<TextSpan> blocked, Group token, bool cued)
    {
        var value = token.Value.TrimEnd('.', ',', '-', '/');
        var span = new TextSpan(token.Index, value.Length);
        if (value.Length < 3 || !value.Any(char.IsAsciiDigit) || blocked.Any(b => b.Overlaps(span)) || found.Any(f => f.Span.Overlaps(span)))
        {
            return;
        }
        // A bare number needs a cue ("part 4711"); a year or a small number is not a part.
        if (!cued && value.All(char.IsAsciiDigit))
        {
            return;
        }
        found.Add(new PartNumber(value.ToUpperInvariant(), span, cued));
    }

    private static bool Preceded(string text, int index, params string[] words)
    {
        var before = text[..index].TrimEnd().TrimEnd(':', '#').TrimEnd();
        return words.Any(w => before.EndsWith(w, StringComparison.OrdinalIgnoreCase)
            && (before.Length == w.Length || !char.IsLetter(before[before.Length - w.Length - 1])));
    }

    [GeneratedRegex(@"\b(?:parts?(?:\s*(?:no\.?|number|#|nr\.?))?|p/n|pn|item(?:\s*(?:no\.?|number))?|article(?:\s*no\.?)?|art\.(?:\s*no\.?)?|sku|drawing|dwg)\s*[:#]?\s*(?<p>[A-Za-z0-9](?:[A-Za-z0-9./-]*[A-Za-z0-9])?)", RegexOptions.IgnoreCase)]
    private static partial Regex CuedToken();

    // Letters and digits with an inner dash, slash or dot (4471-A, HX-200, 88-1020-03), or letters glued to 3+ digits (HX200, 4471A).
    [GeneratedRegex(@"(?<![\w@./-])(?<p>(?=[A-Za-z0-9./-]*\d)(?:[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)+|[A-Za-z]{1,4}\d{3,}[A-Za-z0-9]*|\d{3,}[A-Za-z]{1,3}))(?![\w@-])")]
    private static partial Regex Shaped();

    // Dates, decimals, standards and clauses, dimensions, times: shaped like part numbers, never one.
    [GeneratedRegex(@"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|(?<![\w-])\d+[.,]\d+(?:[.,]\d+)*(?![\w-])|\b(?:ISO|IATF|IEC|EN|AS|DIN|ASTM|ANSI|IPC)\s*[-/]?\s*\d+(?:[-:]\d+)*\b|\b\d+\s*CFR\s*\d+(?:\.\d+)*|\b\d+\s*[x×]\s*\d+(?:\s*[x×]\s*\d+)?\b|\bM\d{1,2}\b|\b\d{1,2}(?::\d{2})\s*(?:am|pm)?\b|\b(?:Q[1-4]|H[12])(?:[-/ ]\d{2,4})?\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotParts();
}

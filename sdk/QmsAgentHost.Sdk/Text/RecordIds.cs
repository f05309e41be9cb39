using System.Globalization;
using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Text;

/// <summary>
/// A record number <c>&lt;PREFIX&gt;-&lt;year&gt;-&lt;4 digits&gt;</c>, e.g. <c>NCM-2026-0042</c>, as the
/// product plugins number their records (NCM, CAPA, AUD, Q, INT, SOP).
/// </summary>
/// <param name="Prefix">Upper case, e.g. <c>NCM</c>.</param>
/// <param name="Year">The four-digit year.</param>
/// <param name="Sequence">The sequence number within the tenant and year (1–9999).</param>
/// <param name="Span">Where it was written.</param>
public sealed record RecordId(string Prefix, int Year, int Sequence, TextSpan Span)
{
    /// <summary>The canonical form, e.g. <c>NCM-2026-0042</c>.</summary>
    public string Value => string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{Year:D4}-{Sequence:D4}");

    /// <inheritdoc/>
    public override string ToString() => Value;
}

/// <summary>
/// Finds record numbers as people write them: <c>NCM-2026-0042</c>, <c>ncm 2026-42</c>,
/// <c>CAPA-2026-8</c>, <c>AUD_2026_0004</c>. Each comes back in canonical form.
/// </summary>
public static partial class RecordIds
{
    /// <summary>The prefixes of the product plugins' records.</summary>
    public static IReadOnlyList<string> KnownPrefixes { get; } = ["NCM", "CAPA", "AUD", "Q", "INT", "SOP"];

    /// <summary>Every record number in <paramref name="text"/>, in order, optionally only those with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<RecordId> FindAll(string text, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<RecordId>();
        foreach (Match match in Pattern().Matches(text))
        {
            var id = new RecordId(
                match.Groups["prefix"].Value.ToUpperInvariant(),
                int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture),
                new TextSpan(match.Index, match.Length));
            // "Q 2026 31" reads like a quarter and a year; a quote number needs its dash.
            if (id.Sequence == 0 || (id.Prefix == "Q" && !match.Value.Contains('-', StringComparison.Ordinal)))
            {
                continue;
            }
            if (prefix is null || string.Equals(prefix, id.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(id);
            }
        }
        return found;
    }

    /// <summary>The first record number with <paramref name="prefix"/>, or null.</summary>
    public static RecordId? Find(string text, string prefix) => FindAll(text, prefix) is [var first, ..] ? first : null;

    /// <summary>True when <paramref name="value"/> is exactly one record number in canonical form.</summary>
    public static bool IsCanonical(string? value) => value is not null && CanonicalPattern().IsMatch(value);

    [GeneratedRegex(@"(?<![\p{L}\p{N}])(?<prefix>NCM|CAPA|AUD|Q|INT|SOP)[-_ ]?(?<year>(19|20)\d\d)[-_ ](?<seq>\d{1,4})(?![\p{L}\p{N}])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^(NCM|CAPA|AUD|Q|INT|SOP)-\d{4}-\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex CanonicalPattern();
}

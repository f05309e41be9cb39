using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Text;

/// <summary>An amount of money: <c>€3.80</c>, <c>1,200 USD</c>, <c>at 3.80</c>.</summary>
/// <param name="Amount">The amount.</param>
/// <param name="Currency">ISO 4217 code (<c>EUR</c>, <c>USD</c>, <c>GBP</c>, <c>CHF</c>), or null when only a price cue marked it.</param>
/// <param name="Span">Where it was written.</param>
public sealed record MoneyAmount(decimal Amount, string? Currency, TextSpan Span);

/// <summary>
/// Finds amounts of money: a currency sign or code before or after the number, or a price cue
/// (<c>at 3.80</c>, <c>3.80 each</c>, <c>3.80 per piece</c>, <c>unit price 3.80</c>).
/// </summary>
public static partial class Money
{
    /// <summary>Every amount in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<MoneyAmount> FindAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<MoneyAmount>();
        foreach (var pattern in new[] { SignBefore(), CodeAfter(), PriceCue(), PerPiece() })
        {
            foreach (Match m in pattern.Matches(text))
            {
                var span = new TextSpan(m.Index, m.Length);
                if (found.Any(f => f.Span.Overlaps(span)) || !Numbers.TryParse(m.Groups["n"].Value, out var amount))
                {
                    continue;
                }
                found.Add(new MoneyAmount(amount, CurrencyOf(m.Groups["c"].Value), span));
            }
        }
        return [.. found.OrderBy(f => f.Span.Index)];
    }

    /// <summary>The first amount in <paramref name="text"/>, or null.</summary>
    public static MoneyAmount? Find(string text) => FindAll(text) is [var first, ..] ? first : null;

    private static string? CurrencyOf(string sign) => sign.ToUpperInvariant() switch
    {
        "€" or "EUR" or "EURO" or "EUROS" => "EUR",
        "$" or "USD" or "DOLLAR" or "DOLLARS" => "USD",
        "£" or "GBP" or "POUNDS" => "GBP",
        "CHF" or "FRANCS" => "CHF",
        _ => null,
    };

    private const string Amount = @"(?<n>\d{1,3}(?:[, ]\d{3})+(?:\.\d{1,4})?|\d+(?:[.,]\d{1,4})?)";

    [GeneratedRegex(@"(?<c>[€$£]|\b(?:EUR|USD|GBP|CHF))\s?" + Amount, RegexOptions.IgnoreCase)]
    private static partial Regex SignBefore();

    [GeneratedRegex(@"(?<![\w.,-])" + Amount + @"\s?(?<c>€|\$|£|\b(?:EUR|USD|GBP|CHF|euros?|dollars?|pounds|francs)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex CodeAfter();

    [GeneratedRegex(@"\b(?:at|@|price(?:\s+of)?|unit\s+price(?:\s+of)?|priced\s+at)\s*:?\s+(?<c>)" + Amount + @"(?![\w.,-]|\s*(?:x|pcs|pieces|parts|units|of|%|mm|days?|weeks?|am|pm|o.clock))", RegexOptions.IgnoreCase)]
    private static partial Regex PriceCue();

    [GeneratedRegex(@"(?<![\w.,-])(?<c>)" + Amount + @"\s*(?:each|apiece|a\s+piece|per\s+(?:piece|pc|part|unit)|/\s?(?:pc|pcs|piece|unit|ea))\b", RegexOptions.IgnoreCase)]
    private static partial Regex PerPiece();
}

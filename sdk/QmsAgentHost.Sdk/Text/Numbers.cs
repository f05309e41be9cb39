using System.Globalization;
using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Text;

/// <summary>
/// Reads numbers as people type them: digits with thousands separators (<c>1,000</c>, <c>1 000</c>),
/// decimals with a point or, for at most two decimals, a comma (<c>3,80</c>), and number words
/// (<c>fourteen</c>, <c>twenty-five</c>, <c>a dozen</c>).
/// </summary>
public static partial class Numbers
{
    private static readonly Dictionary<string, int> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["single"] = 1, ["two"] = 2, ["couple"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5,
        ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["dozen"] = 12,
        ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18,
        ["nineteen"] = 19, ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70,
        ["eighty"] = 80, ["ninety"] = 90, ["hundred"] = 100, ["thousand"] = 1000,
    };

    /// <summary>
    /// A regular-expression fragment matching one number (digits or words); used by the other extractors
    /// so they all read numbers the same way.
    /// </summary>
    internal const string Pattern =
        @"(?:\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|(?:a\s+)?(?:couple(?:\s+of)?|dozen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten)(?![a-z])(?:\s+hundred)?)";

    /// <summary>Parses one number written in digits or words; false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string text, out decimal value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        var s = text.Trim();
        if (s.Length == 0)
        {
            return false;
        }
        if (char.IsAsciiDigit(s[0]))
        {
            return TryParseDigits(s, out value);
        }
        return TryParseWords(s, out value);
    }

    private static bool TryParseDigits(string s, out decimal value)
    {
        if (Thousands().IsMatch(s))
        {
            s = s.Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        }
        else if (DecimalComma().IsMatch(s))
        {
            s = s.Replace(',', '.');
        }
        return decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseWords(string s, out decimal value)
    {
        decimal total = 0, current = 0;
        var any = false;
        foreach (var word in s.ToLowerInvariant().Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word is "of" or "and" or "a" or "an")
            {
                continue;
            }
            if (!Words.TryGetValue(word, out var n))
            {
                value = 0;
                return false;
            }
            any = true;
            switch (word)
            {
                case "couple":
                    current += 2;
                    break;
                case "dozen" or "hundred":
                    current = (current == 0 ? 1 : current) * n;
                    break;
                case "thousand":
                    total += (current == 0 ? 1 : current) * n;
                    current = 0;
                    break;
                default:
                    current += n;
                    break;
            }
        }
        value = total + current;
        return any && value > 0;
    }

    [GeneratedRegex(@"^\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?$")]
    private static partial Regex Thousands();

    [GeneratedRegex(@"^\d+,\d{1,2}$")]
    private static partial Regex DecimalComma();
}

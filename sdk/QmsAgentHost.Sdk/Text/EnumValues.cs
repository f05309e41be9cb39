using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Text;

/// <summary>One of a parameter's allowed values, found in text.</summary>
/// <param name="Value">The allowed value, exactly as declared (<c>use-as-is</c>).</param>
/// <param name="Span">Where the words for it were written.</param>
public sealed record EnumMatch(string Value, TextSpan Span);

/// <summary>
/// Finds which of a parameter's allowed values a text names, as people write them: ignoring case,
/// dashes and underscores (<c>use as is</c> for <c>use-as-is</c>), with inflections (<c>scrapped</c>,
/// <c>reworked</c>, <c>closing</c>) and with the synonyms the caller gives (<c>send back to the supplier</c>
/// for <c>return-to-supplier</c>).
/// </summary>
public static class EnumValues
{
    // Phrases come from plugin metadata and the planner's lexicon: a small, finite set.
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every mention of an allowed value in <paramref name="text"/>, in order; a longer phrase wins over one inside it.</summary>
    /// <param name="text">The text to search.</param>
    /// <param name="allowedValues">The values the parameter takes.</param>
    /// <param name="synonyms">Optional extra phrases per allowed value.</param>
    public static IReadOnlyList<EnumMatch> FindAll(string text, IEnumerable<string> allowedValues, IReadOnlyDictionary<string, IReadOnlyList<string>>? synonyms = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(allowedValues);
        var candidates = new List<EnumMatch>();
        foreach (var value in allowedValues)
        {
            var phrases = new List<string> { value };
            if (synonyms is not null && synonyms.TryGetValue(value, out var extra))
            {
                phrases.AddRange(extra);
            }
            foreach (var phrase in phrases)
            {
                foreach (Match m in Patterns.GetOrAdd(phrase, PhrasePattern).Matches(text))
                {
                    candidates.Add(new EnumMatch(value, new TextSpan(m.Index, m.Length)));
                }
            }
        }
        var chosen = new List<EnumMatch>();
        foreach (var candidate in candidates.OrderByDescending(c => c.Span.Length).ThenBy(c => c.Span.Index))
        {
            if (!chosen.Any(c => c.Span.Overlaps(candidate.Span)))
            {
                chosen.Add(candidate);
            }
        }
        return [.. chosen.OrderBy(c => c.Span.Index)];
    }

    /// <summary>The first allowed value named in <paramref name="text"/>, or null.</summary>
    public static EnumMatch? Find(string text, IEnumerable<string> allowedValues, IReadOnlyDictionary<string, IReadOnlyList<string>>? synonyms = null) =>
        FindAll(text, allowedValues, synonyms) is [var first, ..] ? first : null;

    // "use-as-is" matches "use as is", "use-as-is", "USE_AS_IS"; the last word may be inflected.
    private static Regex PhrasePattern(string phrase)
    {
        var words = phrase.Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries);
        var pattern = new StringBuilder(@"(?<![\p{L}\p{N}])");
        for (var i = 0; i < words.Length; i++)
        {
            if (i > 0)
            {
                pattern.Append(@"[\s_-]+");
            }
            pattern.Append(Regex.Escape(words[i]));
            if (words[i].Length >= 3 && words[i].All(char.IsLetter))
            {
                // scrap -> scrapped, close -> closed, rework -> reworking, approve -> approved
                pattern.Append("(?:s|es|d|ed|ing|[a-z](?:ed|ing))?");
            }
        }
        pattern.Append(@"(?![\p{L}\p{N}])");
        return new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}

using System.Globalization;
using System.Text;

namespace QmsAgentHost.Ai.Embeddings;

/// <summary>
/// Prepares text for the MiniLM word-piece tokenizer, which splits only on spaces and CR LF, turns
/// an accented letter into [UNK] and drops the rest of a word after it: accents are stripped,
/// typographic dashes and quotes become ASCII, and all whitespace becomes single spaces.
/// </summary>
public static class EmbeddingText
{
    public static string Normalize(string text, int maxCharacters = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(Math.Min(decomposed.Length, maxCharacters));
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (builder.Length >= maxCharacters)
            {
                break;
            }
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(Ascii(c, category));
        }
        return builder.ToString();
    }

    private static char Ascii(char c, UnicodeCategory category) => c switch
    {
        '\u00B5' or '\u03BC' => 'u',
        '\u2018' or '\u2019' or '\u201A' or '\u2032' => '\'',
        '\u201C' or '\u201D' or '\u201E' or '\u2033' => '"',
        '\u2212' => '-',
        _ when category == UnicodeCategory.DashPunctuation => '-',
        _ => c,
    };
}

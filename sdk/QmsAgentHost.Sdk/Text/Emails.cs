using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Text;

/// <summary>An e-mail address found in text, lower-cased.</summary>
/// <param name="Value">The address.</param>
/// <param name="Span">Where it was written.</param>
public sealed record EmailAddress(string Value, TextSpan Span);

/// <summary>Finds e-mail addresses (<c>jan.novak@acme.example</c>) in text.</summary>
public static partial class Emails
{
    /// <summary>Every e-mail address in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<EmailAddress> FindAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Pattern().Matches(text).Select(m => new EmailAddress(m.Value.ToLowerInvariant(), new TextSpan(m.Index, m.Length)))];
    }

    [GeneratedRegex(@"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])?@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

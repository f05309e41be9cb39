using System.Globalization;

namespace QmsAgentHost.Sdk.Plugins;

/// <summary>A semantic version (<c>major.minor.patch[-prerelease]</c>); build metadata is ignored.</summary>
public readonly record struct SemanticVersion(int Major, int Minor, int Patch, string Prerelease = "") : IComparable<SemanticVersion>
{
    /// <summary>The version of this SDK, which plugins compare their <c>sdkVersion</c> range with.</summary>
    public static SemanticVersion Sdk { get; } = FromAssembly();

    /// <summary>Parses <c>1</c>, <c>1.2</c>, <c>1.2.3</c> or <c>1.2.3-beta.1</c>.</summary>
    public static bool TryParse(string? text, out SemanticVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var core = text.Trim();
        var plus = core.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            core = core[..plus];
        }
        var prerelease = "";
        var dash = core.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            prerelease = core[(dash + 1)..];
            core = core[..dash];
            if (prerelease.Length == 0)
            {
                return false;
            }
        }
        var parts = core.Split('.');
        if (parts.Length is < 1 or > 3)
        {
            return false;
        }
        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }
        version = new SemanticVersion(numbers[0], numbers[1], numbers[2], prerelease);
        return true;
    }

    /// <summary>
    /// Orders by major, minor and patch, then by prerelease as semver.org section 11 specifies: a
    /// prerelease sorts before its release; dot-separated identifiers compare one by one, numbers
    /// numerically and below text, text ordinally; a longer list wins when all before are equal.
    /// </summary>
    public int CompareTo(SemanticVersion other)
    {
        var byNumbers = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byNumbers != 0)
        {
            return byNumbers;
        }
        var (mine, theirs) = (Prerelease ?? "", other.Prerelease ?? "");
        return (mine.Length == 0, theirs.Length == 0) switch
        {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => -1,
            _ => ComparePrerelease(mine, theirs),
        };
    }

    private static int ComparePrerelease(string left, string right)
    {
        var (a, b) = (left.Split('.'), right.Split('.'));
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var aIsNumber = ulong.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var aNumber);
            var bIsNumber = ulong.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var bNumber);
            var byIdentifier = (aIsNumber, bIsNumber) switch
            {
                (true, true) => aNumber.CompareTo(bNumber),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (byIdentifier != 0)
            {
                return byIdentifier;
            }
        }
        return a.Length.CompareTo(b.Length);
    }

    /// <summary>Orders versions.</summary>
    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    /// <summary>Orders versions.</summary>
    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    /// <summary>Orders versions.</summary>
    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Orders versions.</summary>
    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() => string.IsNullOrEmpty(Prerelease) ? $"{Major}.{Minor}.{Patch}" : $"{Major}.{Minor}.{Patch}-{Prerelease}";

    private static SemanticVersion FromAssembly()
    {
        var v = typeof(SemanticVersion).Assembly.GetName().Version ?? new Version(1, 0, 0);
        return new SemanticVersion(v.Major, v.Minor, Math.Max(v.Build, 0));
    }
}

/// <summary>
/// A range of versions: <c>^1.2</c> (same major, at least 1.2), <c>~1.2</c> (same minor, at least 1.2),
/// <c>1.x</c> (same major), <c>1.2.x</c> (same minor), an exact <c>1.2.3</c> or <c>=1.2.3</c>, or
/// comparators (<c>&gt;=</c>, <c>&gt;</c>, <c>&lt;=</c>, <c>&lt;</c>) joined by spaces, all of which
/// must hold, such as <c>&gt;=1.0.0 &lt;2.0.0</c>.
/// </summary>
public sealed class SemanticVersionRange
{
    private readonly List<(string Op, SemanticVersion Version)> _comparators;
    private readonly string _text;

    private SemanticVersionRange(string text, List<(string, SemanticVersion)> comparators)
    {
        _text = text;
        _comparators = comparators;
    }

    /// <summary>Parses a range; returns false when the text is not one.</summary>
    public static bool TryParse(string? text, out SemanticVersionRange range)
    {
        range = new SemanticVersionRange("", []);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var comparators = new List<(string, SemanticVersion)>();
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryAddToken(token, comparators))
            {
                return false;
            }
        }
        range = new SemanticVersionRange(text.Trim(), comparators);
        return comparators.Count > 0;
    }

    private static bool TryAddToken(string token, List<(string, SemanticVersion)> comparators)
    {
        if (!TryExpandWildcard(ref token))
        {
            return false;
        }
        if (token[0] is '^' or '~')
        {
            if (!SemanticVersion.TryParse(token[1..], out var floor))
            {
                return false;
            }
            // The ceiling's prerelease "0" is the lowest version of the next major (or minor), so
            // ^1.2 does not admit 2.0.0-alpha.
            var ceiling = token[0] == '^'
                ? new SemanticVersion(floor.Major + 1, 0, 0, "0")
                : new SemanticVersion(floor.Major, floor.Minor + 1, 0, "0");
            comparators.Add((">=", floor));
            comparators.Add(("<", ceiling));
            return true;
        }
        var op = token.StartsWith(">=", StringComparison.Ordinal) || token.StartsWith("<=", StringComparison.Ordinal) ? token[..2]
            : token[0] is '>' or '<' or '=' ? token[..1]
            : "=";
        var rest = op == "=" && token[0] != '=' ? token : token[op.Length..];
        if (!SemanticVersion.TryParse(rest, out var version))
        {
            return false;
        }
        comparators.Add((op, version));
        return true;
    }

    // 1.x and 1.x.x mean ^1 (same major); 1.2.x means ~1.2 (same minor). A wildcard may only be
    // followed by wildcards, and cannot stand first.
    private static bool TryExpandWildcard(ref string token)
    {
        var parts = token.Split('.');
        var first = Array.FindIndex(parts, p => p is "x" or "X" or "*");
        if (first < 0)
        {
            return true;
        }
        if (first == 0 || parts.Length > 3 || parts[first..].Any(p => p is not ("x" or "X" or "*")))
        {
            return false;
        }
        token = (first == 1 ? "^" : "~") + string.Join('.', parts[..first]);
        return true;
    }

    /// <summary>True when <paramref name="version"/> satisfies every comparator of the range.</summary>
    public bool Includes(SemanticVersion version) => _comparators.All(c => c.Op switch
    {
        ">=" => version >= c.Version,
        "<=" => version <= c.Version,
        ">" => version > c.Version,
        "<" => version < c.Version,
        _ => version.CompareTo(c.Version) == 0,
    });

    /// <inheritdoc />
    public override string ToString() => _text;
}

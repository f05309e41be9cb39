using System.Globalization;
using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Text;

/// <summary>How a date mention bounds a period.</summary>
public enum DateBound
{
    /// <summary>On that day (or within that period): <c>on Friday</c>, <c>by end of month</c>, <c>in March</c>.</summary>
    On,

    /// <summary>From then on: <c>since January</c>, <c>after 2026-03-01</c>, the first date of <c>from … to …</c>.</summary>
    OnOrAfter,

    /// <summary>Up to then: <c>before June</c>, <c>until Friday</c>, the second date of <c>from … to …</c>.</summary>
    OnOrBefore,
}

/// <summary>Which occurrence a date without a year (or a bare weekday) means.</summary>
public enum DatePreference
{
    /// <summary>The occurrence closest to today.</summary>
    Nearest,

    /// <summary>Today or later: due dates, planned dates.</summary>
    Future,

    /// <summary>Today or earlier: filters of past records ("NCMs in March").</summary>
    Past,
}

/// <summary>A date or period written in text, resolved to days.</summary>
/// <param name="Text">The words as written.</param>
/// <param name="Span">Where they were written.</param>
/// <param name="Start">The first day meant.</param>
/// <param name="End">The last day meant; equal to <paramref name="Start"/> for a single day.</param>
/// <param name="Bound">Whether the words bound a period from one side (<c>since</c>, <c>until</c>).</param>
public sealed record DateMention(string Text, TextSpan Span, DateOnly Start, DateOnly End, DateBound Bound)
{
    /// <summary>True for a period of more than one day (<c>last month</c>, <c>Q3</c>).</summary>
    public bool IsRange => Start != End;
}

/// <summary>
/// Finds dates as people write them and resolves them against today's date from a <see cref="TimeProvider"/>:
/// ISO (<c>2026-12-01</c>), day-first with dots (<c>01.12.2026</c>), month-first with slashes unless the
/// first number is over 12 (<c>12/01/2026</c>), month names (<c>1 December 2026</c>, <c>Dec 1</c>,
/// <c>3rd of November</c>), <c>today</c>/<c>tomorrow</c>/<c>yesterday</c>, weekdays (<c>Friday</c> is the
/// next one; <c>next Friday</c> is the Friday of next week, Monday to Sunday; <c>last Friday</c> the most
/// recent one), <c>in two weeks</c>, <c>in 10 working days</c>, <c>3 days ago</c>, <c>end of month</c>,
/// <c>end of next month</c>, <c>mid-March</c>, and periods (<c>next week</c>, <c>last month</c>,
/// <c>this quarter</c>, <c>Q3 2026</c>, <c>in March</c>, <c>in 2025</c>).
/// </summary>
public static partial class Dates
{
    private delegate (DateOnly Start, DateOnly End)? Resolver(Match match, DateOnly today, DatePreference preference);

    private static readonly (Regex Pattern, Resolver Resolve)[] Rules =
    [
        (Iso(), (m, _, _) => Day(Int(m, "y"), Int(m, "m"), Int(m, "d"))),
        (Numeric(), ResolveNumeric),
        (DayMonth(), ResolveMonthDay),
        (MonthDay(), ResolveMonthDay),
        (Relative(), ResolveRelative),
        (InUnits(), (m, today, _) => Single(Add(today, m, +1))),
        (Ago(), (m, today, _) => Single(Add(today, m, -1))),
        (EndOf(), (m, today, p) => Part(m, today, p, PeriodPart.End)),
        (StartOf(), (m, today, p) => Part(m, today, p, m.Groups["w"].Value.StartsWith("mid", StringComparison.OrdinalIgnoreCase) ? PeriodPart.Middle : PeriodPart.Start)),
        (Period(), ResolvePeriod),
        (Quarter(), ResolveQuarter),
        (Weekday(), ResolveWeekday),
        (MonthYear(), (m, today, p) => MonthRange(m, today, p)),
        (CuedMonth(), (m, today, p) => MonthRange(m, today, p)),
        (CuedYear(), (m, _, _) => (new DateOnly(Int(m, "y"), 1, 1), new DateOnly(Int(m, "y"), 12, 31))),
    ];

    /// <summary>Every date in <paramref name="text"/>, in order, resolved against <paramref name="clock"/>'s local date.</summary>
    public static IReadOnlyList<DateMention> FindAll(string text, TimeProvider clock, DatePreference preference = DatePreference.Nearest)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return FindAll(text, DateOnly.FromDateTime(clock.GetLocalNow().DateTime), preference);
    }

    /// <summary>Every date in <paramref name="text"/>, in order, resolved against <paramref name="today"/>.</summary>
    public static IReadOnlyList<DateMention> FindAll(string text, DateOnly today, DatePreference preference = DatePreference.Nearest)
    {
        ArgumentNullException.ThrowIfNull(text);
        var blocked = RecordIds.FindAll(text).Select(r => r.Span).ToList();
        var candidates = new List<(Match Match, DateOnly Start, DateOnly End)>();
        foreach (var (pattern, resolve) in Rules)
        {
            foreach (Match m in pattern.Matches(text))
            {
                var span = new TextSpan(m.Index, m.Length);
                if (blocked.Any(b => b.Overlaps(span)) || candidates.Any(c => new TextSpan(c.Match.Index, c.Match.Length).Overlaps(span)))
                {
                    continue;
                }
                if (Safe(() => resolve(m, today, preference)) is { } resolved)
                {
                    candidates.Add((m, resolved.Start, resolved.End));
                }
            }
        }
        var ordered = candidates.OrderBy(c => c.Match.Index).ToList();
        var mentions = new List<DateMention>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var (m, start, end) = ordered[i];
            mentions.Add(new DateMention(m.Value.Trim(), new TextSpan(m.Index, m.Length), start, end, BoundOf(text, m, i > 0 ? ordered[i - 1].Match : null)));
        }
        return mentions;
    }

    /// <summary>The first date in <paramref name="text"/>, or null.</summary>
    public static DateMention? Find(string text, TimeProvider clock, DatePreference preference = DatePreference.Nearest) =>
        FindAll(text, clock, preference) is [var first, ..] ? first : null;

    private static (DateOnly Start, DateOnly End)? Safe(Func<(DateOnly, DateOnly)?> resolve)
    {
        try
        {
            return resolve();
        }
        catch (ArgumentOutOfRangeException)
        {
            // 31 February and the like: not a date.
            return null;
        }
    }

    private static DateBound BoundOf(string text, Match match, Match? previous)
    {
        // The cue may be part of the match ("since January") or just before it ("since 2026-01-01").
        var index = match.Index;
        var cue = match.Groups["cue"];
        var before = (cue.Success ? text[..(cue.Index + cue.Length)] : text[..index]).TrimEnd().ToLowerInvariant();
        var word = LastWord().Match(before).Value;
        if (word is "since" or "from" or "after" or "starting" or "beginning" || before.EndsWith("as of", StringComparison.Ordinal)
            || before.EndsWith("starting on", StringComparison.Ordinal) || before.EndsWith("between", StringComparison.Ordinal))
        {
            return DateBound.OnOrAfter;
        }
        if (word is "before" or "until" or "till" or "til" or "through" or "thru" || before.EndsWith("up to", StringComparison.Ordinal))
        {
            return DateBound.OnOrBefore;
        }
        // The second date of "from X to Y", "between X and Y", "X - Y".
        if (previous is not null && (word is "to" or "and" || before.EndsWith('-')) && index - (previous.Index + previous.Length) < 8)
        {
            return DateBound.OnOrBefore;
        }
        return DateBound.On;
    }

    private static (DateOnly, DateOnly)? ResolveNumeric(Match m, DateOnly today, DatePreference preference)
    {
        int a = Int(m, "a"), b = Int(m, "b"), year = Year(Int(m, "y"));
        // Dots are written day first (01.12.2026); slashes month first (12/01/2026) unless that cannot be.
        var dayFirst = m.Groups["sep"].Value == "." || a > 12;
        return Day(year, dayFirst ? b : a, dayFirst ? a : b);
    }

    private static (DateOnly, DateOnly)? ResolveMonthDay(Match m, DateOnly today, DatePreference preference)
    {
        var month = MonthOf(m.Groups["mon"].Value);
        var day = Int(m, "d");
        if (m.Groups["y"].Success)
        {
            return Day(Int(m, "y"), month, day);
        }
        var date = Choose(today, preference, y => (new DateOnly(y, month, day), new DateOnly(y, month, day)));
        return (date.Start, date.End);
    }

    private static (DateOnly, DateOnly)? ResolveRelative(Match m, DateOnly today, DatePreference preference) =>
        m.Groups["w"].Value.ToLowerInvariant() switch
        {
            "today" or "tonight" => Single(today),
            "tomorrow" => Single(today.AddDays(1)),
            "yesterday" => Single(today.AddDays(-1)),
            _ => Single(today.AddDays(2)),
        };

    private static DateOnly Add(DateOnly today, Match m, int sign)
    {
        var n = m.Groups["n"].Value.Trim().ToLowerInvariant() is "a" or "an" ? 1 : (int)Number(m.Groups["n"].Value);
        var unit = m.Groups["u"].Value.ToLowerInvariant();
        if (unit.StartsWith("fortnight", StringComparison.Ordinal))
        {
            return today.AddDays(sign * 14 * n);
        }
        if (unit.Contains("working", StringComparison.Ordinal) || unit.Contains("business", StringComparison.Ordinal))
        {
            var date = today;
            for (var added = 0; added < n;)
            {
                date = date.AddDays(sign);
                if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    added++;
                }
            }
            return date;
        }
        return unit[0] switch
        {
            'd' => today.AddDays(sign * n),
            'w' => today.AddDays(sign * 7 * n),
            'm' => today.AddMonths(sign * n),
            _ => today.AddYears(sign * n),
        };
    }

    private enum PeriodPart
    {
        Start,
        Middle,
        End,
    }

    private static (DateOnly, DateOnly)? Part(Match m, DateOnly today, DatePreference preference, PeriodPart part)
    {
        var (start, end) = PeriodOf(m.Groups["p"].Value, m.Groups["q"].Value, today, preference);
        var day = part switch
        {
            PeriodPart.Start => start,
            // Mid-month is the 15th, as people mean it.
            PeriodPart.Middle => end.DayNumber - start.DayNumber is >= 27 and <= 30 ? start.AddDays(14) : start.AddDays((end.DayNumber - start.DayNumber) / 2),
            // "End of the week" is the end of the working week.
            _ => m.Groups["p"].Value.StartsWith('w') || m.Groups["p"].Value.StartsWith('W') ? start.AddDays(4) : end,
        };
        return Single(day);
    }

    private static (DateOnly, DateOnly)? ResolvePeriod(Match m, DateOnly today, DatePreference preference) =>
        PeriodOf(m.Groups["p"].Value, m.Groups["q"].Value, today, preference);

    private static (DateOnly Start, DateOnly End) PeriodOf(string period, string qualifier, DateOnly today, DatePreference preference)
    {
        var shift = qualifier.ToLowerInvariant() switch
        {
            "next" or "coming" => 1,
            "last" or "past" or "previous" => -1,
            _ => 0,
        };
        switch (period.ToLowerInvariant())
        {
            case "week" or "w":
                var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7) + (7 * shift));
                return (monday, monday.AddDays(6));
            case "month" or "m":
                var first = new DateOnly(today.Year, today.Month, 1).AddMonths(shift);
                return (first, first.AddMonths(1).AddDays(-1));
            case "quarter" or "q":
                var quarterStart = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(3 * shift);
                return (quarterStart, quarterStart.AddMonths(3).AddDays(-1));
            case "year" or "y":
                return (new DateOnly(today.Year + shift, 1, 1), new DateOnly(today.Year + shift, 12, 31));
            default:
                var month = MonthOf(period);
                if (shift != 0)
                {
                    var year = today.Year + shift;
                    return (new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1).AddDays(-1));
                }
                return Choose(today, preference, y => (new DateOnly(y, month, 1), new DateOnly(y, month, 1).AddMonths(1).AddDays(-1)));
        }
    }

    private static (DateOnly, DateOnly)? ResolveQuarter(Match m, DateOnly today, DatePreference preference)
    {
        var quarter = m.Groups["q"].Value[1] - '0';
        (DateOnly, DateOnly) Of(int year) => (new DateOnly(year, ((quarter - 1) * 3) + 1, 1), new DateOnly(year, ((quarter - 1) * 3) + 1, 1).AddMonths(3).AddDays(-1));
        return m.Groups["y"].Success ? Of(Int(m, "y")) : Choose(today, preference, Of);
    }

    private static (DateOnly, DateOnly)? ResolveWeekday(Match m, DateOnly today, DatePreference preference)
    {
        var weekday = WeekdayOf(m.Groups["wd"].Value);
        var qualifier = m.Groups["q"].Value.ToLowerInvariant();
        if (qualifier.Length == 0 && m.Groups["wd"].Value.Length <= 4 && !m.Groups["wd"].Value.EndsWith('.'))
        {
            return null;
        }
        var ahead = ((int)weekday - (int)today.DayOfWeek + 7) % 7;
        switch (qualifier)
        {
            case "next":
                var mondayNext = today.AddDays(7 - (((int)today.DayOfWeek + 6) % 7));
                return Single(mondayNext.AddDays(((int)weekday + 6) % 7));
            case "last" or "past" or "previous":
                var back = ((int)today.DayOfWeek - (int)weekday + 7) % 7;
                return Single(today.AddDays(-(back == 0 ? 7 : back)));
            default:
                if (preference == DatePreference.Past && qualifier.Length == 0)
                {
                    return Single(today.AddDays(-(((int)today.DayOfWeek - (int)weekday + 7) % 7)));
                }
                return Single(today.AddDays(ahead));
        }
    }

    private static (DateOnly, DateOnly)? MonthRange(Match m, DateOnly today, DatePreference preference)
    {
        var month = MonthOf(m.Groups["mon"].Value);
        if (m.Groups["y"].Success)
        {
            var start = new DateOnly(Int(m, "y"), month, 1);
            return (start, start.AddMonths(1).AddDays(-1));
        }
        var cue = m.Groups["cue"].Value.ToLowerInvariant();
        var lean = cue is "since" or "from" or "after" or "during" ? DatePreference.Past
            : cue is "by" or "until" or "till" or "before" ? DatePreference.Future
            : preference;
        return Choose(today, lean, y => (new DateOnly(y, month, 1), new DateOnly(y, month, 1).AddMonths(1).AddDays(-1)));
    }

    // For a date given without its year: this year's, last year's or next year's occurrence.
    private static (DateOnly Start, DateOnly End) Choose(DateOnly today, DatePreference preference, Func<int, (DateOnly Start, DateOnly End)> inYear)
    {
        var options = new[] { inYear(today.Year - 1), inYear(today.Year), inYear(today.Year + 1) };
        return preference switch
        {
            DatePreference.Future => options.First(o => o.End >= today),
            DatePreference.Past => options.Last(o => o.Start <= today),
            _ => options.MinBy(o => o.Start <= today && o.End >= today ? 0 : Math.Min(Math.Abs(o.Start.DayNumber - today.DayNumber), Math.Abs(o.End.DayNumber - today.DayNumber))),
        };
    }

    private static (DateOnly, DateOnly) Single(DateOnly day) => (day, day);

    private static (DateOnly, DateOnly) Day(int year, int month, int day) => Single(new DateOnly(year, month, day));

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static int Year(int year) => year < 100 ? 2000 + year : year;

    private static decimal Number(string text) => Numbers.TryParse(text, out var n) ? n : throw new ArgumentOutOfRangeException(nameof(text));

    private static int MonthOf(string name) => name[..3].ToLowerInvariant() switch
    {
        "jan" => 1, "feb" => 2, "mar" => 3, "apr" => 4, "may" => 5, "jun" => 6,
        "jul" => 7, "aug" => 8, "sep" => 9, "oct" => 10, "nov" => 11, "dec" => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static DayOfWeek WeekdayOf(string name) => name[..2].ToLowerInvariant() switch
    {
        "mo" => DayOfWeek.Monday, "tu" => DayOfWeek.Tuesday, "we" => DayOfWeek.Wednesday, "th" => DayOfWeek.Thursday,
        "fr" => DayOfWeek.Friday, "sa" => DayOfWeek.Saturday, _ => DayOfWeek.Sunday,
    };

    private const string MonthNames = "january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec";
    private const string Months = "(?<mon>" + MonthNames + ")";
    private const string Count = "(?<n>a|an|" + Numbers.Pattern + ")";
    private const string Units = @"(?<u>(?:working|business)\s+days?|days?|weeks?|fortnights?|months?|years?)";

    [GeneratedRegex(@"\b(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})\b")]
    private static partial Regex Iso();

    [GeneratedRegex(@"\b(?<a>\d{1,2})(?<sep>[./])(?<b>\d{1,2})\k<sep>(?<y>\d{4}|\d{2})\b")]
    private static partial Regex Numeric();

    [GeneratedRegex(@"\b(?:the\s+)?(?<d>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + Months + @"\b\.?(?:,?\s+(?<y>\d{4}))?", RegexOptions.IgnoreCase)]
    private static partial Regex DayMonth();

    [GeneratedRegex(@"\b" + Months + @"\.?\s+(?:the\s+)?(?<d>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:pcs|pieces|units|x\b|%|mm))(?:,?\s+(?<y>\d{4}))?", RegexOptions.IgnoreCase)]
    private static partial Regex MonthDay();

    [GeneratedRegex(@"\b(?<w>today|tonight|tomorrow|yesterday|(?:the\s+)?day\s+after\s+tomorrow)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Relative();

    [GeneratedRegex(@"\b(?:in|within)\s+(?:the\s+next\s+)?" + Count + @"\s+" + Units + @"\b|\b" + Count + @"\s+" + Units + @"\s+(?:from\s+(?:now|today)|later)\b", RegexOptions.IgnoreCase)]
    private static partial Regex InUnits();

    [GeneratedRegex(@"\b" + Count + @"\s+" + Units + @"\s+ago\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ago();

    [GeneratedRegex(@"\bend\s+of\s+(?:the\s+)?(?:(?<q>this|next|last|current|coming)\s+)?(?<p>week|month|quarter|year|" + MonthNames + @")\b|\b(?<p>week|month|quarter|year)[- ]end\b|\bEO(?<p>W|M|Q|Y)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EndOf();

    [GeneratedRegex(@"\b(?<w>start|beginning|begin|early|mid|middle)(?:\s+of)?[- ]?(?:the\s+)?(?:(?<q>this|next|last|current|coming)\s+)?(?<p>week|month|quarter|year|" + MonthNames + @")\b", RegexOptions.IgnoreCase)]
    private static partial Regex StartOf();

    [GeneratedRegex(@"\b(?<q>this|next|last|past|previous|current|coming)\s+(?<p>week|month|quarter|year)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Period();

    [GeneratedRegex(@"\b(?<q>Q[1-4])(?:\s*[/ ]\s*(?<y>20\d\d)|\s+of\s+(?<y>20\d\d))?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Quarter();

    [GeneratedRegex(@"\b(?:(?<q>next|this|coming|last|past|previous|on)\s+)?(?<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b\.?", RegexOptions.IgnoreCase)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\b" + Months + @"\s+(?<y>20\d\d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MonthYear();

    [GeneratedRegex(@"\b(?<cue>in|since|from|after|before|until|till|during|for|of|by)\s+" + Months + @"\b", RegexOptions.IgnoreCase)]
    private static partial Regex CuedMonth();

    [GeneratedRegex(@"\b(?:in|since|for|during|of)\s+(?<y>20\d\d)\b(?!-)", RegexOptions.IgnoreCase)]
    private static partial Regex CuedYear();

    [GeneratedRegex(@"[a-z]+$")]
    private static partial Regex LastWord();
}

using QmsAgentHost.Sdk.Text;

namespace QmsAgentHost.Sdk.Tests.Text;

/// <summary>Dates as people write them, resolved against a fixed clock: Wednesday 18 November 2026.</summary>
public sealed class DatesTests
{
    private static readonly FixedClock Clock = new(new DateTimeOffset(2026, 11, 18, 9, 30, 0, TimeSpan.Zero));

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    [Theory]
    [InlineData("due next Friday", 2026, 11, 27)]
    [InlineData("by Friday", 2026, 11, 20)]
    [InlineData("this friday please", 2026, 11, 20)]
    [InlineData("it happened last Friday", 2026, 11, 13)]
    [InlineData("in two weeks", 2026, 12, 2)]
    [InlineData("within 3 days", 2026, 11, 21)]
    [InlineData("in a week", 2026, 11, 25)]
    [InlineData("in 10 working days", 2026, 12, 2)]
    [InlineData("3 days ago", 2026, 11, 15)]
    [InlineData("tomorrow", 2026, 11, 19)]
    [InlineData("today", 2026, 11, 18)]
    [InlineData("end of month", 2026, 11, 30)]
    [InlineData("by the end of next month", 2026, 12, 31)]
    [InlineData("end of the week", 2026, 11, 20)]
    [InlineData("end of March", 2027, 3, 31)]
    [InlineData("mid-March", 2027, 3, 15)]
    [InlineData("2026-12-01", 2026, 12, 1)]
    [InlineData("01.12.2026", 2026, 12, 1)]
    [InlineData("12/01/2026", 2026, 12, 1)]
    [InlineData("13/01/2026", 2026, 1, 13)]
    [InlineData("on 1 December 2026", 2026, 12, 1)]
    [InlineData("Dec 1", 2026, 12, 1)]
    [InlineData("the 3rd of November", 2027, 11, 3)]
    [InlineData("December 4th, 2026", 2026, 12, 4)]
    public void A_single_day_is_resolved_for_a_due_date(string text, int year, int month, int day)
    {
        var mention = Assert.Single(Dates.FindAll(text, Clock, DatePreference.Future));
        Assert.Equal(D(year, month, day), mention.Start);
        Assert.Equal(D(year, month, day), mention.End);
    }

    [Theory]
    [InlineData("last month", 2026, 10, 1, 2026, 10, 31)]
    [InlineData("this quarter", 2026, 10, 1, 2026, 12, 31)]
    [InlineData("Q3 2026", 2026, 7, 1, 2026, 9, 30)]
    [InlineData("next week", 2026, 11, 23, 2026, 11, 29)]
    [InlineData("this year", 2026, 1, 1, 2026, 12, 31)]
    [InlineData("in March", 2026, 3, 1, 2026, 3, 31)]
    [InlineData("in 2025", 2025, 1, 1, 2025, 12, 31)]
    public void A_period_is_resolved_to_its_first_and_last_day(string text, int y1, int m1, int d1, int y2, int m2, int d2)
    {
        var mention = Assert.Single(Dates.FindAll(text, Clock, DatePreference.Past));
        Assert.True(mention.IsRange);
        Assert.Equal((D(y1, m1, d1), D(y2, m2, d2)), (mention.Start, mention.End));
    }

    [Fact]
    public void Since_and_until_bound_a_period_from_one_side()
    {
        var since = Assert.Single(Dates.FindAll("all NCMs since January", Clock, DatePreference.Past));
        Assert.Equal(DateBound.OnOrAfter, since.Bound);
        Assert.Equal(D(2026, 1, 1), since.Start);

        var both = Dates.FindAll("from 2026-01-01 to 2026-03-31", Clock);
        Assert.Equal([DateBound.OnOrAfter, DateBound.OnOrBefore], both.Select(m => m.Bound));
        Assert.Equal([D(2026, 1, 1), D(2026, 3, 31)], both.Select(m => m.Start));

        var before = Assert.Single(Dates.FindAll("quotes before June", Clock, DatePreference.Past));
        Assert.Equal(DateBound.OnOrBefore, before.Bound);
    }

    [Theory]
    [InlineData("show Q-2026-0031")]
    [InlineData("NCM-2026-0042 and CAPA-2026-0008")]
    [InlineData("we may need 40 pcs")]
    [InlineData("clause 7.1.5 of ISO 9001:2015")]
    public void Record_numbers_and_ordinary_words_are_not_dates(string text) =>
        Assert.Empty(Dates.FindAll(text, Clock));

    [Fact]
    public void The_clock_decides_what_today_is()
    {
        var later = new FixedClock(new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(D(2027, 2, 2), Dates.Find("tomorrow", later)!.Start);
        Assert.Equal(D(2027, 2, 28), Dates.Find("end of month", later)!.Start);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}

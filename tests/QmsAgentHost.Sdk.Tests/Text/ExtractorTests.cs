using QmsAgentHost.Sdk.Text;

namespace QmsAgentHost.Sdk.Tests.Text;

public sealed class ExtractorTests
{
    [Theory]
    [InlineData("show me NCM-2026-0042 please", "NCM-2026-0042")]
    [InlineData("ncm 2026-42", "NCM-2026-0042")]
    [InlineData("capa-2026-8 is late", "CAPA-2026-0008")]
    [InlineData("report AUD_2026_0004", "AUD-2026-0004")]
    [InlineData("approve Q-2026-0031", "Q-2026-0031")]
    [InlineData("INT-2026-0005 to SOP", "INT-2026-0005")]
    [InlineData("sop-2026-0002", "SOP-2026-0002")]
    public void Record_numbers_come_back_canonical(string text, string expected)
    {
        var id = Assert.Single(RecordIds.FindAll(text));
        Assert.Equal(expected, id.Value);
        Assert.True(RecordIds.IsCanonical(id.Value));
    }

    [Fact]
    public void Record_numbers_can_be_filtered_by_prefix()
    {
        var text = "link NCM-2026-0042 and NCM-2026-0051 to CAPA-2026-0008";
        Assert.Equal(["NCM-2026-0042", "NCM-2026-0051"], RecordIds.FindAll(text, "NCM").Select(r => r.Value));
        Assert.Equal("CAPA-2026-0008", RecordIds.Find(text, "capa")!.Value);
        Assert.Empty(RecordIds.FindAll("Q3 2026 results"));
    }

    [Theory]
    [InlineData("14 pieces are bent", 14, "pieces")]
    [InlineData("40 pcs affected", 40, "pcs")]
    [InlineData("qty: 500", 500, null)]
    [InlineData("500 x 7710-S", 500, "x")]
    [InlineData("fourteen housings have burrs", 14, "housings")]
    [InlineData("1,000 units", 1000, "units")]
    [InlineData("twenty-five brackets", 25, "brackets")]
    public void Quantities_are_counts_of_items(string text, int value, string? unit)
    {
        var quantity = Assert.Single(Quantities.FindAll(text));
        Assert.Equal(value, quantity.Value);
        Assert.Equal(unit, quantity.Unit);
    }

    [Theory]
    [InlineData("in 3 days")]
    [InlineData("bore is 0.05 mm over")]
    [InlineData("top 5 gaps")]
    [InlineData("clause 7.1.5")]
    [InlineData("NCM-2026-0042")]
    [InlineData("priced at €3.80")]
    [InlineData("on 2026-12-01")]
    public void Numbers_that_are_not_counts_are_left_alone(string text) =>
        Assert.Empty(Quantities.FindAll(text));

    [Theory]
    [InlineData("part 4711 is cracked", "4711", true)]
    [InlineData("housing 4471-A", "4471-A", false)]
    [InlineData("anodizing on hx-200", "HX-200", false)]
    [InlineData("P/N: 88-1020-03", "88-1020-03", true)]
    [InlineData("part number HX200", "HX200", true)]
    public void Part_numbers_are_found(string text, string expected, bool cued)
    {
        var part = Assert.Single(PartNumbers.FindAll(text));
        Assert.Equal(expected, part.Value);
        Assert.Equal(cued, part.Cued);
    }

    [Theory]
    [InlineData("ISO 9001:2015 audit")]
    [InlineData("due 2026-12-01")]
    [InlineData("NCM-2026-0042")]
    [InlineData("lot 2231")]
    [InlineData("a 40x60 plate with M8 threads")]
    [InlineData("material 1.4301")]
    [InlineData("21 CFR 820 audit")]
    [InlineData("mail jan.novak@acme.example")]
    public void Things_shaped_like_part_numbers_are_not_parts(string text) =>
        Assert.Empty(PartNumbers.FindAll(text));

    [Theory]
    [InlineData("priced at €3.80", 3.80, "EUR")]
    [InlineData("1,200 USD total", 1200, "USD")]
    [InlineData("at 3.80", 3.80, null)]
    [InlineData("3,80 EUR", 3.80, "EUR")]
    [InlineData("4.50 each", 4.50, null)]
    [InlineData("$45", 45, "USD")]
    public void Money_is_found_with_its_currency(string text, double amount, string? currency)
    {
        var money = Assert.Single(Money.FindAll(text));
        Assert.Equal((decimal)amount, money.Amount);
        Assert.Equal(currency, money.Currency);
    }

    [Fact]
    public void Emails_are_lower_cased()
    {
        Assert.Equal(["jan.novak@acme.example", "lea@x.io"], Emails.FindAll("owner Jan.Novak@ACME.example, cc lea@x.io.").Select(e => e.Value));
    }

    [Theory]
    [InlineData("ok to use as is", "use-as-is")]
    [InlineData("the lot was scrapped", "scrap")]
    [InlineData("REWORK them", "rework")]
    [InlineData("please send them back to the supplier", "return-to-supplier")]
    public void Enum_values_are_found_with_inflections_and_synonyms(string text, string expected)
    {
        var synonyms = new Dictionary<string, IReadOnlyList<string>> { ["return-to-supplier"] = ["send back to the supplier", "send them back to the supplier"] };
        var match = EnumValues.Find(text, ["use-as-is", "rework", "repair", "scrap", "return-to-supplier"], synonyms);
        Assert.Equal(expected, match?.Value);
    }

    [Theory]
    [InlineData("fourteen", 14)]
    [InlineData("twenty-five", 25)]
    [InlineData("a dozen", 12)]
    [InlineData("two hundred", 200)]
    [InlineData("1 000", 1000)]
    [InlineData("3,5", 3.5)]
    public void Numbers_are_read_in_digits_and_words(string text, double expected)
    {
        Assert.True(Numbers.TryParse(text, out var value));
        Assert.Equal((decimal)expected, value);
    }
}

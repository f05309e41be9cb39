using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Sdk.Tests.Plugins;

public sealed class SemanticVersionRangeTests
{
    private static SemanticVersionRange R(string text) =>
        SemanticVersionRange.TryParse(text, out var range) ? range : throw new ArgumentException($"'{text}' did not parse.", nameof(text));

    private static bool Includes(string range, string version) =>
        SemanticVersion.TryParse(version, out var v) ? R(range).Includes(v) : throw new ArgumentException($"'{version}' did not parse.", nameof(version));

    [Theory]
    // Caret: same major, at least the given version.
    [InlineData("^1.2", "1.2.0", true)]
    [InlineData("^1.2", "1.9.9", true)]
    [InlineData("^1.2", "1.1.9", false)]
    [InlineData("^1.2", "2.0.0", false)]
    [InlineData("^1.2", "2.0.0-alpha", false)]
    [InlineData("^1.2.3", "1.2.2", false)]
    [InlineData("^1.2.3", "1.2.3", true)]
    [InlineData("^1", "1.0.0", true)]
    [InlineData("^1", "0.9.9", false)]
    [InlineData("^1.0", "1.0.0-beta", false)]
    // Tilde: same minor, at least the given version.
    [InlineData("~1.2", "1.2.0", true)]
    [InlineData("~1.2", "1.2.99", true)]
    [InlineData("~1.2", "1.3.0", false)]
    [InlineData("~1.2", "1.1.9", false)]
    [InlineData("~1.2.3", "1.2.2", false)]
    [InlineData("~1.2.3", "1.2.4", true)]
    // Wildcards.
    [InlineData("1.x", "1.0.0", true)]
    [InlineData("1.x", "1.99.0", true)]
    [InlineData("1.x", "2.0.0", false)]
    [InlineData("1.x", "0.9.0", false)]
    [InlineData("1.*", "1.5.0", true)]
    [InlineData("1.X", "1.5.0", true)]
    [InlineData("1.2.x", "1.2.0", true)]
    [InlineData("1.2.x", "1.2.7", true)]
    [InlineData("1.2.x", "1.3.0", false)]
    [InlineData("1.2.x", "1.1.9", false)]
    [InlineData("1.2.*", "1.3.0", false)]
    [InlineData("1.x.x", "1.4.2", true)]
    [InlineData("1.x.x", "2.0.0", false)]
    // Exact versions.
    [InlineData("1.2.3", "1.2.3", true)]
    [InlineData("1.2.3", "1.2.4", false)]
    [InlineData("=1.2.3", "1.2.3", true)]
    [InlineData("=1.2.3", "1.2.2", false)]
    [InlineData("1.2", "1.2.0", true)]
    [InlineData("1.2", "1.2.1", false)]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.2", true)]
    [InlineData("1.0.0-beta.2", "1.0.0", false)]
    // Comparators, alone and joined by spaces (all must hold).
    [InlineData(">=1.0.0", "1.0.0", true)]
    [InlineData(">=1.0.0", "0.9.9", false)]
    [InlineData(">1.0.0", "1.0.0", false)]
    [InlineData(">1.0.0", "1.0.1", true)]
    [InlineData("<2.0.0", "1.99.99", true)]
    [InlineData("<2.0.0", "2.0.0", false)]
    [InlineData("<2.0.0", "2.0.0-rc.1", true)]
    [InlineData("<=2.0.0", "2.0.0", true)]
    [InlineData("<=2.0.0", "2.0.1", false)]
    [InlineData(">=1.0.0 <2.0.0", "1.0.0", true)]
    [InlineData(">=1.0.0 <2.0.0", "1.5.3", true)]
    [InlineData(">=1.0.0 <2.0.0", "2.0.0", false)]
    [InlineData(">=1.0.0 <2.0.0", "0.9.0", false)]
    [InlineData("  >=1.2   <1.4  ", "1.3.9", true)]
    [InlineData(">=1.2 <1.4", "1.4.0", false)]
    [InlineData("^1.0 >=1.3", "1.2.0", false)]
    [InlineData("^1.0 >=1.3", "1.3.0", true)]
    public void Includes_exactly_the_versions_inside_its_boundaries(string range, string version, bool expected) =>
        Assert.Equal(expected, Includes(range, version));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("latest")]
    [InlineData("^")]
    [InlineData("~")]
    [InlineData("^x")]
    [InlineData(">=")]
    [InlineData(">= 1.0.0")]
    [InlineData("=>1.0.0")]
    [InlineData("1.0.0 - 2.0.0")]
    [InlineData("^1.0 || ^2.0")]
    [InlineData("x")]
    [InlineData("*")]
    [InlineData("1.x.2")]
    [InlineData("^1.2.3.4")]
    public void Refuses_what_is_not_a_range(string? text) => Assert.False(SemanticVersionRange.TryParse(text, out _));

    [Fact]
    public void Prints_the_range_as_written_without_outer_spaces() =>
        Assert.Equal(">=1.0.0 <2.0.0", R("  >=1.0.0 <2.0.0 ").ToString());

    [Fact]
    public void This_sdk_satisfies_the_range_the_samples_declare() =>
        Assert.True(R("^1.0").Includes(SemanticVersion.Sdk));
}

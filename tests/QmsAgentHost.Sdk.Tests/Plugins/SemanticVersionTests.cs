using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Sdk.Tests.Plugins;

public sealed class SemanticVersionTests
{
    private static SemanticVersion V(string text) =>
        SemanticVersion.TryParse(text, out var version) ? version : throw new ArgumentException($"'{text}' did not parse.", nameof(text));

    [Theory]
    [InlineData("1", 1, 0, 0, "")]
    [InlineData("1.2", 1, 2, 0, "")]
    [InlineData("1.2.3", 1, 2, 3, "")]
    [InlineData("0.0.0", 0, 0, 0, "")]
    [InlineData("10.20.30", 10, 20, 30, "")]
    [InlineData("1.2.3-beta.1", 1, 2, 3, "beta.1")]
    [InlineData("1.2.3-rc-1", 1, 2, 3, "rc-1")]
    [InlineData("1.2.3+build.7", 1, 2, 3, "")]
    [InlineData("1.2.3-beta+build.7", 1, 2, 3, "beta")]
    [InlineData("  1.2.3  ", 1, 2, 3, "")]
    public void Parses_one_to_three_numbers_with_an_optional_prerelease(string text, int major, int minor, int patch, string prerelease)
    {
        Assert.True(SemanticVersion.TryParse(text, out var version));
        Assert.Equal(new SemanticVersion(major, minor, patch, prerelease), version);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("v1.2.3")]
    [InlineData("1.2.3.4")]
    [InlineData("1..3")]
    [InlineData("1.2.")]
    [InlineData("-1.2.3")]
    [InlineData("1.-2.3")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.x")]
    [InlineData("one.two")]
    [InlineData("99999999999.0.0")]
    public void Refuses_what_is_not_a_version(string? text) =>
        Assert.False(SemanticVersion.TryParse(text, out _));

    [Theory]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("1.2", "1.2.0")]
    [InlineData("1.2.3-beta.1", "1.2.3-beta.1")]
    [InlineData("1.2.3+build", "1.2.3")]
    public void Prints_the_normal_form(string text, string expected) => Assert.Equal(expected, V(text).ToString());

    [Theory]
    [InlineData("1.0.0", "2.0.0")]
    [InlineData("2.0.0", "2.1.0")]
    [InlineData("2.1.0", "2.1.1")]
    [InlineData("1.9.0", "1.10.0")]
    [InlineData("1.0.9", "1.0.10")]
    public void Orders_by_major_minor_patch_numerically(string lower, string higher) => AssertOrdered(lower, higher);

    // The precedence example of semver.org, section 11, pair by pair.
    [Theory]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-alpha.beta", "1.0.0-beta")]
    [InlineData("1.0.0-beta", "1.0.0-beta.2")]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11")]
    [InlineData("1.0.0-beta.11", "1.0.0-rc.1")]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.0.0", "1.0.1-alpha")]
    [InlineData("1.0.0-9", "1.0.0-10")]
    [InlineData("1.0.0-99", "1.0.0-a")]
    public void Orders_prereleases_as_semver_specifies(string lower, string higher) => AssertOrdered(lower, higher);

    [Fact]
    public void Sorting_a_shuffled_list_gives_the_semver_order()
    {
        string[] expected = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"];
        var shuffled = expected.Reverse().Select(V).ToList();

        shuffled.Sort();

        Assert.Equal(expected, shuffled.Select(v => v.ToString()));
    }

    [Fact]
    public void Build_metadata_does_not_count_in_equality_or_order()
    {
        Assert.Equal(V("1.2.3"), V("1.2.3+build.1"));
        Assert.Equal(0, V("1.2.3+a").CompareTo(V("1.2.3+b")));
    }

    [Fact]
    public void Default_value_compares_as_zero_without_throwing()
    {
        Assert.Equal(0, default(SemanticVersion).CompareTo(V("0.0.0")));
        Assert.Equal("0.0.0", default(SemanticVersion).ToString());
    }

    [Fact]
    public void Sdk_version_is_the_sdk_assembly_version()
    {
        var assembly = typeof(SemanticVersion).Assembly.GetName().Version!;

        Assert.Equal(new SemanticVersion(assembly.Major, assembly.Minor, assembly.Build), SemanticVersion.Sdk);
    }

    private static void AssertOrdered(string lower, string higher)
    {
        var (a, b) = (V(lower), V(higher));
        Assert.True(a < b, $"{lower} < {higher}");
        Assert.True(b > a, $"{higher} > {lower}");
        Assert.True(a <= b && b >= a);
        Assert.False(a >= b);
        Assert.True(a.CompareTo(b) < 0 && b.CompareTo(a) > 0);
        Assert.Equal(0, a.CompareTo(V(lower)));
    }
}

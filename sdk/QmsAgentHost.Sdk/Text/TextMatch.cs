namespace QmsAgentHost.Sdk.Text;

/// <summary>Where in the text a value was found.</summary>
/// <param name="Index">Zero-based position of the first character.</param>
/// <param name="Length">Characters covered.</param>
public readonly record struct TextSpan(int Index, int Length)
{
    /// <summary>Position just after the last character.</summary>
    public int End => Index + Length;

    /// <summary>True when the two spans share a character.</summary>
    public bool Overlaps(TextSpan other) => Index < other.End && other.Index < End;
}

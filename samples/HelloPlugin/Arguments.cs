namespace HelloPlugin;

internal static class Arguments
{
    /// <summary>Trims <paramref name="value"/> and checks it is 1 to <paramref name="maxLength"/> characters.</summary>
    public static string RequireText(string value, string name, int maxLength)
    {
        value = value?.Trim() ?? "";
        if (value.Length == 0 || value.Length > maxLength)
        {
            throw new ArgumentException($"{name} must be 1 to {maxLength} characters.", name);
        }
        return value;
    }
}

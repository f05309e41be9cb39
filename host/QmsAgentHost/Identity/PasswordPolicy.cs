namespace QmsAgentHost.Identity;

/// <summary>
/// What a password must be: at least <see cref="MinimumLength"/> characters and not the login itself.
/// Length beats composition rules (NIST SP 800-63B), so there are no character-class rules.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 512;

    /// <summary>Why <paramref name="password"/> is not acceptable for <paramref name="login"/>, or null when it is.</summary>
    public static string? Check(string? login, string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
        {
            return $"The password must have at least {MinimumLength} characters.";
        }
        if (password.Length > MaximumLength)
        {
            return $"The password must have at most {MaximumLength} characters.";
        }
        if (login is not null && string.Equals(password.Trim(), login.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return "The password must not be the login.";
        }
        return null;
    }
}

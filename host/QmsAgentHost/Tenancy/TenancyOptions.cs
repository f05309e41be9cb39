namespace QmsAgentHost.Tenancy;

public sealed class TenancyOptions
{
    public const string SectionName = "Tenancy";

    /// <summary>
    /// How long a node keeps a resolved caller. Any change to it (role, permissions, revocation,
    /// disabling, password) drops it at once on every node (LISTEN/NOTIFY); this is the safety net
    /// beneath that. 0 turns the cache off.
    /// </summary>
    public int CallerCacheSeconds { get; set; } = 60;
}

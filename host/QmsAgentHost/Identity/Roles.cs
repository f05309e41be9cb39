namespace QmsAgentHost.Identity;

/// <summary>
/// The built-in roles. Owner &gt; Admin &gt; Manager &gt; Analyst &gt; Viewer form a ladder: a permission
/// given to a role is given to every role above it. Auditor stands apart: it reads everything and
/// changes nothing.
/// </summary>
public static class Roles
{
    public const string Owner = "Owner";
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string Analyst = "Analyst";
    public const string Viewer = "Viewer";
    public const string Auditor = "Auditor";

    /// <summary>The ladder, lowest first.</summary>
    public static IReadOnlyList<string> Ladder { get; } = [Viewer, Analyst, Manager, Admin, Owner];

    public static IReadOnlyList<string> All { get; } = [Owner, Admin, Manager, Analyst, Viewer, Auditor];

    public static bool IsRole(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);

    /// <summary>Rank on the ladder (Viewer 0 … Owner 4); Auditor ranks with Viewer for delegation purposes.</summary>
    public static int Rank(string role) => role == Auditor ? 0 : Ladder.ToList().IndexOf(role);

    /// <summary>True when a holder of <paramref name="holder"/> may hand out <paramref name="granted"/> (to an API key or a user).</summary>
    public static bool CanGrant(string holder, string granted) => (holder, granted) switch
    {
        _ when holder == granted => true,
        (Owner, _) => true,
        (Auditor, _) => false,
        (_, Auditor) => Rank(holder) >= Rank(Admin),
        _ => Rank(granted) <= Rank(holder),
    };
}

/// <summary>The host's own permissions. Plugins add theirs through their manifests.</summary>
public static class CorePermissions
{
    public const string AdminPlugins = "admin:plugins";
    public const string AdminUsers = "admin:users";
    public const string AuditTrailView = "audit-trail:view";
    public const string AuditTrailVerify = "audit-trail:verify";
    public const string ApiKeysCreate = "apikeys:create";
    public const string SignaturesSign = "signatures:sign";
    public const string ChatAsk = "chat:ask";

    /// <summary>Permission, the lowest ladder role that holds it by default, and what it allows.</summary>
    public static IReadOnlyList<(string Name, string DefaultRole, string Description)> All { get; } =
    [
        (AdminPlugins, Roles.Admin, "Enable, disable and configure plugins"),
        (AdminUsers, Roles.Admin, "Manage users, roles, permissions and everyone's API keys"),
        (AuditTrailView, Roles.Manager, "Read the audit trail"),
        (AuditTrailVerify, Roles.Admin, "Verify the audit trail's hash chain"),
        (ApiKeysCreate, Roles.Analyst, "Create API keys for oneself (anyone may list and revoke their own)"),
        (SignaturesSign, Roles.Analyst, "Obtain signing tokens and sign records"),
        (ChatAsk, Roles.Viewer, "Ask the assistant: plan and chat (functions still need their own permissions)"),
    ];
}

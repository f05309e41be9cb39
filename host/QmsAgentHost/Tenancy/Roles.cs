namespace QmsAgentHost.Tenancy;

/// <summary>
/// The built-in roles. Owner &gt; Admin &gt; Manager &gt; Analyst &gt; Viewer form a ladder: a permission
/// given to a role is given to every role above it. Auditor stands apart: it reads everything and
/// changes nothing, and no edit of the role map can make it change anything.
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

    /// <summary>The actions (after the colon of <c>area:action</c>) that only read.</summary>
    public static IReadOnlySet<string> ReadActions { get; } = new HashSet<string>(["view", "read", "ask", "search", "list", "verify"], StringComparer.Ordinal);

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

    /// <summary>True when <paramref name="permission"/> only reads (its action is one of <see cref="ReadActions"/>).</summary>
    public static bool IsReadOnly(string permission) =>
        ReadActions.Contains(permission[(permission.IndexOf(':', StringComparison.Ordinal) + 1)..]);

    /// <summary>
    /// Why <paramref name="role"/> may never hold <paramref name="permission"/>, whatever a tenant's
    /// role map says, or null when it may. The Auditor exists to read: nothing that changes data.
    /// </summary>
    public static string? NeverHolds(string role, string permission) =>
        role == Auditor && !IsReadOnly(permission)
            ? $"The Auditor role only reads: it may not hold '{permission}', whose action changes data. Read actions are {string.Join(", ", ReadActions)}."
            : null;
}

/// <summary>The host's own permissions. Plugins add theirs through their manifests.</summary>
public static class CorePermissions
{
    public const string AdminPlugins = "admin:plugins";
    public const string AdminUsers = "admin:users";
    public const string AdminSites = "admin:sites";
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
        (AdminSites, Roles.Admin, "List and add the organization's sites"),
        (AuditTrailView, Roles.Manager, "Read the audit trail"),
        (AuditTrailVerify, Roles.Admin, "Verify the audit trail's hash chain"),
        (ApiKeysCreate, Roles.Analyst, "Create API keys for oneself (anyone may list and revoke their own)"),
        (SignaturesSign, Roles.Analyst, "Obtain signing tokens and sign records"),
        (ChatAsk, Roles.Viewer, "Ask the assistant: plan and chat (functions still need their own permissions)"),
    ];
}

/// <summary>Claim types the host issues.</summary>
public static class QmsClaims
{
    public const string OrgId = "qms:org";
    public const string UserId = "qms:user";
    public const string Role = "qms:role";
    public const string ApiKeyId = "qms:key";
    public const string SecurityStamp = "qms:stamp";

    /// <summary>The sign-in cookie that carries these claims.</summary>
    public const string CookieName = "qms.auth";
}

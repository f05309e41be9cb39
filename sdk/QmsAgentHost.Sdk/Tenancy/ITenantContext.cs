namespace QmsAgentHost.Sdk.Tenancy;

/// <summary>
/// Who is acting, for which organization (tenant), with which permissions. The host sets it for
/// every request, function call and job run; plugins read it.
/// </summary>
public interface ITenantContext
{
    /// <summary>True when a signed-in user (or an API key) of a tenant is acting.</summary>
    bool IsAuthenticated { get; }

    /// <summary>The organization (tenant). Throws <see cref="InvalidOperationException"/> when there is none.</summary>
    Guid OrgId { get; }

    /// <summary>The user's home site, when the user belongs to one.</summary>
    Guid? SiteId { get; }

    /// <summary>The acting user. For an API key, the user who owns the key.</summary>
    Guid UserId { get; }

    /// <summary>The acting user's display name, for audit entries and signatures.</summary>
    string UserName { get; }

    /// <summary>The role in force for this call (an API key may carry a lower role than its owner).</summary>
    string Role { get; }

    /// <summary>The permissions in force for this call.</summary>
    IReadOnlySet<string> Permissions { get; }

    /// <summary>An id that ties together everything done for one request.</summary>
    string CorrelationId { get; }

    /// <summary>True when the caller holds <paramref name="permission"/>.</summary>
    bool HasPermission(string permission);
}

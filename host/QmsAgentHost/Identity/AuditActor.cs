using QmsAgentHost.Sdk.Tenancy;

namespace QmsAgentHost.Identity;

/// <summary>Who an audit event names as its actor when host code writes it outside <see cref="Sdk.Audit.IAuditTrail"/>.</summary>
public sealed record AuditActor(Guid? UserId, string Name, string? CorrelationId)
{
    /// <summary>The host itself (seeding, provisioning from a test or the command line).</summary>
    public static AuditActor System { get; } = new(null, "system", null);

    /// <summary>The signed-in caller of the current request.</summary>
    public static AuditActor From(ITenantContext tenant) =>
        tenant.IsAuthenticated ? new(tenant.UserId, tenant.UserName, tenant.CorrelationId) : System with { CorrelationId = tenant.CorrelationId };
}

using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Tenancy;

namespace QmsAgentHost.Data;

/// <summary>The SDK's tenant-scoped database: sessions bound to the caller's organization.</summary>
internal sealed class TenantDatabase(QmsDataSources dataSources, ITenantContext tenant) : ITenantDatabase
{
    public Task<TenantSession> BeginAsync(CancellationToken cancellationToken = default)
    {
        if (!tenant.IsAuthenticated)
        {
            throw new InvalidOperationException("No tenant in this context: a database session needs a signed-in user or API key.");
        }
        return dataSources.BeginTenantAsync(tenant.OrgId, tenant.UserId, cancellationToken);
    }
}

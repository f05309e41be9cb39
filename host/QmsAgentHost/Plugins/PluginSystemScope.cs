using System.Collections.Frozen;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Plugins;

/// <summary>
/// Runs plugin code for a tenant with no user behind it (a scheduled job, a seed): in a plugin scope
/// whose tenant context is the tenant's system identity, holding the plugin's own permissions.
/// </summary>
internal static class PluginSystemScope
{
    public static async Task RunAsync(
        IServiceScopeFactory hostScopes, PluginRecord plugin, Guid orgId, string actorName, Func<IServiceProvider, Task> work)
    {
        var runtime = plugin.Runtime ?? throw new InvalidOperationException($"Plugin '{plugin.Id}' is not loaded.");
        var permissions = (plugin.Manifest?.Permissions ?? []).Select(p => p.Name).ToFrozenSet(StringComparer.Ordinal);
        await using var hostScope = hostScopes.CreateAsyncScope();
        hostScope.ServiceProvider.GetRequiredService<TenantContext>()
            .Set(new Caller(orgId, Guid.Empty, null, actorName, "System", permissions, "system"));
        await using var pluginScope = runtime.Services.CreateAsyncScope();
        pluginScope.ServiceProvider.GetRequiredService<HostScope>().Services = hostScope.ServiceProvider;
        await work(pluginScope.ServiceProvider);
    }
}

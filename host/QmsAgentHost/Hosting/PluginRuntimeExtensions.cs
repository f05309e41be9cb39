using QmsAgentHost.Ai;
using QmsAgentHost.Audit;
using QmsAgentHost.Data;
using QmsAgentHost.Events;
using QmsAgentHost.Identity;
using QmsAgentHost.Plugins;
using QmsAgentHost.Signatures;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Hosting;

public static class PluginRuntimeExtensions
{
    /// <summary>
    /// Everything a plugin function call needs: the database, identity and tenant context, the audit
    /// trail and signatures, domain events, the embedder and AI assistant, and the plugins themselves. Program and the plugin test kit
    /// (QmsAgentHost.Sdk.Testing) both compose the host from this, so a capability that gives plugins
    /// a service is added here once and both get it.
    /// </summary>
    public static IHostApplicationBuilder AddPluginRuntime(this IHostApplicationBuilder builder)
    {
        builder.AddData();
        builder.AddTenancy();
        builder.AddQmsIdentity();
        builder.AddAuditTrail();
        builder.AddSignatures();
        builder.AddEvents();
        builder.AddAi();
        builder.AddPlugins();
        return builder;
    }
}

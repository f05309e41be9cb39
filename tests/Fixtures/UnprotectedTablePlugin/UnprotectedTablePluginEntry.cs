using QmsAgentHost.Sdk.Plugins;

namespace UnprotectedTablePlugin;

public sealed class UnprotectedTablePluginEntry : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) =>
        plugin.AddMigrations("unprotected", typeof(UnprotectedTablePluginEntry).Assembly);
}

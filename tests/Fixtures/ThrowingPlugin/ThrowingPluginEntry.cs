using QmsAgentHost.Sdk.Plugins;

namespace ThrowingPlugin;

public sealed class ThrowingPluginEntry : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) =>
        throw new InvalidOperationException("the licence file is missing");
}

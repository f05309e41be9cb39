using System.ComponentModel;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;

namespace AlphaPlugin;

public sealed class AlphaPluginEntry : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddFunctions<DependencyFunctions>();
}

public sealed class DependencyFunctions
{
    [KernelFunction("dependency_version"), Description("Says which build of PrivateDep this plugin carries.")]
    [Permission("alpha:read")]
    public string DependencyVersion() => PrivateDep.DependencyInfo.Describe();
}

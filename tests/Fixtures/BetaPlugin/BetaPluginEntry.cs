using System.ComponentModel;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;

namespace BetaPlugin;

public sealed class BetaPluginEntry : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddFunctions<DependencyFunctions>();
}

public sealed class DependencyFunctions
{
    [KernelFunction("dependency_version"), Description("Says which build of PrivateDep this plugin carries.")]
    [Permission("beta:read")]
    public string DependencyVersion() => PrivateDep.DependencyInfo.Describe();
}

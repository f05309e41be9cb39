using System.ComponentModel;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;

namespace CallerPlugin;

public sealed class CallerPluginEntry : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddFunctions<CallerFunctions>();
}

public sealed record Relayed(bool CanCall, bool Succeeded, int Status, string? Text, string? Error);

public sealed class CallerFunctions(IPluginFunctions functions)
{
    [KernelFunction("relay"), Description("Calls another plugin's function as the caller and reports what happened.")]
    [Permission("caller:use")]
    public async Task<Relayed> RelayAsync(
        [Description("plugin-id.function_name")] string function,
        [Description("The name argument to pass")] string? name = null,
        CancellationToken cancellationToken = default)
    {
        var result = await functions.CallAsync(function, name is null ? null : new { name }, cancellationToken);
        return new Relayed(functions.CanCall(function), result.Succeeded, result.Status,
            result.Value is { } value && value.TryGetProperty("text", out var text) ? text.GetString() : null, result.Error);
    }
}

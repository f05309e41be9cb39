using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Plugins;

/// <summary>
/// Lets a plugin call another plugin's function as the current caller, through the same invoker as
/// the API, so permission, plugin switch and audit apply. Resolved in a plugin's scope from the host
/// scope of the call in progress.
/// </summary>
internal sealed class PluginFunctions(PluginCatalog catalog, PluginFunctionInvoker invoker, IServiceProvider callerServices) : IPluginFunctions
{
    public bool CanCall(string function)
    {
        var tenant = callerServices.GetRequiredService<TenantContext>();
        return Find(function) is { } target
            && tenant.IsAuthenticated && tenant.HasPermission(target.Function.Permission) && tenant.IsPluginEnabled(target.Plugin.Id);
    }

    public async Task<FunctionCallResult> CallAsync(string function, object? arguments = null, CancellationToken cancellationToken = default)
    {
        if (Find(function) is not { } target)
        {
            return new FunctionCallResult(false, null, 404, $"No loaded function '{function}': name it as plugin-id.function_name.");
        }
        var values = arguments is null
            ? []
            : PluginValueJson.ToElement(arguments) is { ValueKind: System.Text.Json.JsonValueKind.Object } element
                ? element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.OrdinalIgnoreCase)
                : null;
        if (values is null)
        {
            return new FunctionCallResult(false, null, 400, "The arguments must be an object whose properties are the function's parameter names.");
        }
        try
        {
            var result = await invoker.InvokeAsync(target.Plugin, target.Function, values, callerServices, cancellationToken);
            return new FunctionCallResult(true, result, 200, null);
        }
        catch (FunctionCallException ex)
        {
            return new FunctionCallResult(false, null, ex.StatusCode, ex.Message);
        }
    }

    private (PluginRecord Plugin, PluginFunction Function)? Find(string qualifiedName)
    {
        var dot = qualifiedName?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0 || catalog.Find(qualifiedName![..dot]) is not { } plugin || catalog.FindFunction(plugin.Id, qualifiedName[(dot + 1)..]) is not { } function)
        {
            return null;
        }
        return (plugin, function);
    }
}

using Microsoft.SemanticKernel;

namespace QmsAgentHost.Plugins;

/// <summary>
/// Builds the kernels plugin functions run in: one per call or per chat turn, over the caller's
/// request scope (so the host's invocation filters, registered by <see cref="AddFunctionFilters"/>,
/// apply), holding only the functions given, with the call's <see cref="FunctionCallInfo"/>.
/// </summary>
public static class PluginKernels
{
    private const string FunctionsKey = "qms.functions";

    /// <summary>A kernel whose plugin collection holds exactly <paramref name="functions"/>, grouped by plugin.</summary>
    public static Kernel Create(
        IServiceProvider callerServices, FunctionCallInfo call, IEnumerable<(PluginRecord Plugin, PluginFunction Function)> functions)
    {
        var targets = functions.ToDictionary(f => Key(f.Function.Function.PluginName, f.Function.Name), f => (f.Plugin, f.Function), StringComparer.Ordinal);
        var plugins = new KernelPluginCollection(targets.Values
            .GroupBy(t => t.Plugin.KernelName, StringComparer.Ordinal)
            .Select(g => KernelPluginFactory.CreateFromFunctions(g.Key, g.First().Plugin.Manifest?.Description, g.Select(t => t.Function.Function))));
        var kernel = new Kernel(callerServices, plugins);
        kernel.Data[FunctionCallInfo.KernelDataKey] = call;
        kernel.Data[FunctionsKey] = targets;
        return kernel;
    }

    /// <summary>The plugin function a filter is looking at, or null when the kernel does not hold it.</summary>
    internal static (PluginRecord Plugin, PluginFunction Function)? Resolve(FunctionInvocationContext context) =>
        context.Kernel.Data.TryGetValue(FunctionsKey, out var value)
        && value is Dictionary<string, (PluginRecord, PluginFunction)> targets
        && targets.TryGetValue(Key(context.Function.PluginName, context.Function.Name), out var target)
            ? target
            : null;

    /// <summary>The host's invocation filters, in the order they run: audit, permission and plugin switch, arguments, confirmation, plugin scope.</summary>
    public static IServiceCollection AddFunctionFilters(this IServiceCollection services)
    {
        services.AddSingleton<IFunctionInvocationFilter, FunctionAuditFilter>();
        services.AddSingleton<IFunctionInvocationFilter, FunctionPermissionFilter>();
        services.AddSingleton<IFunctionInvocationFilter, FunctionArgumentsFilter>();
        services.AddSingleton<IFunctionInvocationFilter, FunctionConfirmationFilter>();
        services.AddSingleton<IFunctionInvocationFilter, PluginScopeFilter>();
        return services;
    }

    private static string Key(string? pluginName, string functionName) => $"{pluginName}.{functionName}";
}

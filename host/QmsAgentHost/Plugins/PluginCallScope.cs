using Microsoft.Extensions.AI;

namespace QmsAgentHost.Plugins;

/// <summary>
/// The plugin's DI scope for one function call, opened by <see cref="PluginScopeFilter"/> around the
/// call and ambient for its duration, so the function's per-call instance factory creates the
/// function class there. A call outside the host's filters finds no scope and is refused.
/// </summary>
internal sealed class PluginCallScope(AsyncServiceScope scope)
{
    private static readonly AsyncLocal<PluginCallScope?> Ambient = new();

    public IServiceProvider Services => scope.ServiceProvider;

    public static PluginCallScope? Current => Ambient.Value;

    /// <summary>The per-call instance factory given to <see cref="AIFunctionFactory"/>: the function class, created in this call's plugin scope.</summary>
    public static Func<AIFunctionArguments, object> TargetFactory(Type functionClass) => _ =>
        (Current ?? throw new InvalidOperationException(
            "A plugin function was called outside the host's invocation filters; call it through PluginFunctionInvoker or a kernel from PluginKernels."))
        .Services.GetRequiredService(functionClass);

    public static IDisposable Enter(PluginCallScope scope)
    {
        var previous = Ambient.Value;
        Ambient.Value = scope;
        return new Exit(previous);
    }

    private sealed class Exit(PluginCallScope? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}

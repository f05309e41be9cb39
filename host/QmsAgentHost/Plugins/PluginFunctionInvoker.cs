using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.SemanticKernel;

namespace QmsAgentHost.Plugins;

/// <summary>
/// Runs a plugin function for the caller of the current scope, through the one function runtime:
/// the function's Semantic Kernel function in a kernel over the caller's scope, so the host's
/// invocation filters check the permission and the plugin switch, the arguments, confirmation and
/// audit, and create the function class in a plugin scope that sees the caller's tenant.
/// </summary>
public sealed class PluginFunctionInvoker
{
    /// <summary>
    /// Runs the function as an explicit call (the invoke endpoint, a workflow step, a job: no chat
    /// confirmation) and returns its result as JSON (null JSON for a function that returns nothing).
    /// </summary>
    public async Task<JsonElement> InvokeAsync(
        PluginRecord plugin, PluginFunction function, IReadOnlyDictionary<string, JsonElement> arguments,
        IServiceProvider callerServices, CancellationToken cancellationToken)
    {
        var outcome = await InvokeAsync(plugin, function, arguments, callerServices, FunctionCallInfo.Explicit, cancellationToken);
        return outcome.Result ?? throw new InvalidOperationException("An explicit call cannot be pending.");
    }

    /// <summary>Runs the function as <paramref name="call"/> says: a planner call of a data-changing function comes back pending.</summary>
    public async Task<FunctionOutcome> InvokeAsync(
        PluginRecord plugin, PluginFunction function, IReadOnlyDictionary<string, JsonElement> arguments,
        IServiceProvider callerServices, FunctionCallInfo call, CancellationToken cancellationToken)
    {
        if (plugin.Status != PluginStatus.Loaded)
        {
            throw new FunctionUnavailableException($"Plugin '{plugin.Id}' is not loaded.");
        }
        var kernel = PluginKernels.Create(callerServices, call, [(plugin, function)]);
        var kernelArguments = new KernelArguments();
        foreach (var (name, value) in arguments)
        {
            kernelArguments[name] = value;
        }
        try
        {
            var result = await function.Function.InvokeAsync(kernel, kernelArguments, cancellationToken);
            return result.GetValue<object>() switch
            {
                PendingConfirmation pending => new FunctionOutcome(null, pending),
                JsonElement json => new FunctionOutcome(json, null),
                var other => new FunctionOutcome(JsonSerializer.SerializeToElement(other), null),
            };
        }
        catch (KernelFunctionCanceledException ex) when (ex.InnerException is OperationCanceledException canceled)
        {
            ExceptionDispatchInfo.Capture(canceled).Throw();
            throw;
        }
    }
}

/// <summary>
/// Base of the ways a function call can be refused or fail; each maps to a problem-details status.
/// The plugin's own exception, when there was one, is the inner exception: it is logged and never
/// shown to API callers (only the message is), but a test can inspect it.
/// </summary>
public abstract class FunctionCallException(string message, int statusCode, Exception? innerException = null) : Exception(message, innerException)
{
    public int StatusCode { get; } = statusCode;
}

public sealed class FunctionPermissionException(PluginFunction function, bool authenticated)
    : FunctionCallException($"Calling {function.QualifiedName} needs permission '{function.Permission}'.", authenticated ? 403 : 401);

public sealed class FunctionArgumentException(string message, Exception? innerException = null) : FunctionCallException(message, 400, innerException);

public sealed class FunctionDisabledException(string pluginId)
    : FunctionCallException($"Plugin '{pluginId}' is switched off for your organization. An administrator can switch it on.", 403);

public sealed class FunctionNotFoundException(string message, Exception? innerException = null) : FunctionCallException(message, 404, innerException);

public sealed class FunctionConflictException(string message, Exception? innerException = null) : FunctionCallException(message, 409, innerException);

public sealed class FunctionSignatureException(string message, Exception? innerException = null) : FunctionCallException(message, 403, innerException);

public sealed class FunctionUnavailableException(string message) : FunctionCallException(message, 503);

public sealed class FunctionFailedException(PluginFunction function, string correlationId, Exception? innerException = null)
    : FunctionCallException($"{function.QualifiedName} failed. The error was logged with correlation id {correlationId}.", 500, innerException);

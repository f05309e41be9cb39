using System.Reflection;
using System.Text.Json;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Plugins;

/// <summary>
/// Runs a plugin function for the caller of the current scope: checks the permission, binds the
/// JSON arguments, creates the function class in a plugin scope that sees the caller's tenant, and
/// keeps a plugin's exception from becoming the host's.
/// </summary>
public sealed class PluginFunctionInvoker(ILogger<PluginFunctionInvoker> logger)
{
    /// <summary>Runs the function and returns its result as JSON (null for a function that returns nothing).</summary>
    public async Task<JsonElement> InvokeAsync(
        PluginRecord plugin, PluginFunction function, IReadOnlyDictionary<string, JsonElement> arguments,
        IServiceProvider callerServices, CancellationToken cancellationToken)
    {
        var tenant = callerServices.GetRequiredService<TenantContext>();
        if (!tenant.IsAuthenticated || !tenant.HasPermission(function.Permission))
        {
            throw new FunctionPermissionException(function, tenant.IsAuthenticated);
        }
        var runtime = plugin.Runtime ?? throw new FunctionUnavailableException($"Plugin '{plugin.Id}' is not loaded.");
        if (!tenant.IsPluginEnabled(plugin.Id))
        {
            throw new FunctionDisabledException(plugin.Id);
        }
        var values = BindArguments(function, arguments, runtime.Json, cancellationToken);

        await using var scope = runtime.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostScope>().Services = callerServices;
        var target = function.Method.IsStatic ? null : scope.ServiceProvider.GetRequiredService(function.Method.DeclaringType!);
        try
        {
            var returned = await UnwrapAsync(function.Method.Invoke(target, values));
            return returned is null
                ? JsonSerializer.SerializeToElement<object?>(null, runtime.Json)
                : JsonSerializer.SerializeToElement(returned, returned.GetType(), runtime.Json);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw Translate(function, ex.InnerException, tenant);
        }
        catch (Exception ex) when (ex is not FunctionCallException and not OperationCanceledException)
        {
            throw Translate(function, ex, tenant);
        }
    }

    private Exception Translate(PluginFunction function, Exception ex, TenantContext tenant)
    {
        switch (ex)
        {
            case OperationCanceledException or FunctionCallException:
                return ex;
            case var _ when Data.DatabaseFailures.IsUnavailable(ex):
                return ex; // the host answers 503 with Retry-After, whichever path called

            case ArgumentException or FormatException or System.ComponentModel.DataAnnotations.ValidationException:
                return new FunctionArgumentException(ex.Message, ex);
            case KeyNotFoundException:
                return new FunctionNotFoundException(ex.Message, ex);
            case Sdk.Signatures.SignatureRejectedException:
                return new FunctionSignatureException(ex.Message, ex);
            case InvalidOperationException when ex.Data.Contains("conflict"):
                return new FunctionConflictException(ex.Message, ex);
            default:
                logger.LogError(ex, "Function {Function} failed for org {OrgId} (correlation {CorrelationId})",
                    function.QualifiedName, tenant.IsAuthenticated ? tenant.OrgId : Guid.Empty, tenant.CorrelationId);
                return new FunctionFailedException(function, tenant.CorrelationId, ex);
        }
    }

    private static object?[] BindArguments(
        PluginFunction function, IReadOnlyDictionary<string, JsonElement> arguments, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var parameters = function.Method.GetParameters();
        var known = parameters.Where(PluginFunction.IsArgument).Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = arguments.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new FunctionArgumentException($"{function.QualifiedName} has no argument {string.Join(", ", unknown.Select(u => $"'{u}'"))}. It takes: {string.Join(", ", known)}.");
        }
        var values = new object?[parameters.Length];
        var described = function.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.ParameterType == typeof(CancellationToken))
            {
                values[i] = cancellationToken;
                continue;
            }
            if (!PluginFunction.IsArgument(parameter))
            {
                values[i] = null;
                continue;
            }
            var supplied = arguments.FirstOrDefault(a => string.Equals(a.Key, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (supplied.Key is null || supplied.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                if (described[parameter.Name!].Required)
                {
                    throw new FunctionArgumentException($"Argument '{parameter.Name}' is required.");
                }
                values[i] = parameter.HasDefaultValue ? parameter.DefaultValue : null;
                continue;
            }
            try
            {
                values[i] = supplied.Value.Deserialize(parameter.ParameterType, json);
            }
            catch (JsonException)
            {
                throw new FunctionArgumentException($"Argument '{parameter.Name}' must be {FunctionParameter.Expectation(parameter.ParameterType)}.");
            }
        }
        return values;
    }

    private static async Task<object?> UnwrapAsync(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                var type = task.GetType();
                return type.IsGenericType && type.GetProperty("Result") is { } result && result.PropertyType.Name != "VoidTaskResult"
                    ? result.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                if (returned?.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)t.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!;
                    return await UnwrapAsync(asTask);
                }
                return returned;
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

using System.Reflection;
using System.Text.Json;
using Microsoft.SemanticKernel;
using QmsAgentHost.Audit;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Plugins;

// The host's rules for every function call, on every path (invoke endpoint, workflows, planner,
// automatic function calling), as Semantic Kernel invocation filters. Registered in this order,
// which is the order they run in: audit wraps everything, the plugin scope is innermost.

/// <summary>
/// Records every AI-made or AI-proposed call (run, pending, refused or failed) with masked arguments.
/// An explicit call refused by permission gets its 403 and leaves the trail as it was: a refused call changes nothing.
/// </summary>
internal sealed class FunctionAuditFilter(QmsDataSources dataSources, ILogger<FunctionAuditFilter> logger) : IFunctionInvocationFilter
{
    private const int MaxResultBytes = 4_096;

    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var call = FunctionCallInfo.Of(context.Kernel);
        try
        {
            await next(context);
        }
        catch (FunctionCallException ex) when (call.IsAi && ex is FunctionPermissionException or FunctionDisabledException)
        {
            await RecordAsync(context, call, "ai.call.refused", null, ex.Message);
            throw;
        }
        catch (FunctionCallException ex) when (call.IsAi)
        {
            await RecordAsync(context, call, "ai.call.failed", null, ex.Message);
            throw;
        }
        if (call.IsAi)
        {
            var value = context.Result.GetValue<object>();
            await RecordAsync(context, call, value is PendingConfirmation ? "ai.call.pending" : "ai.call.completed", value, null);
        }
    }

    private async Task RecordAsync(FunctionInvocationContext context, FunctionCallInfo call, string action, object? result, string? error)
    {
        var tenant = context.Kernel.Services.GetRequiredService<TenantContext>();
        if (!tenant.IsAuthenticated || PluginKernels.Resolve(context) is not { } target)
        {
            return;
        }
        var arguments = FunctionArguments.ToJson(context.Arguments, target.Plugin.Runtime?.Json);
        var entry = new AuditEntry(action, "function", target.Function.QualifiedName)
        {
            After = new { call.ConversationId, call.ActionId, origin = call.Origin.ToString() },
            Reason = error,
            Ai = new AiCallDetails(call.Provider, call.Model, target.Function.QualifiedName, SecretArguments.Masked(arguments), Bounded(result)),
        };
        try
        {
            // Its own transaction: the audit of a refused or failed call must outlive the call's rollback.
            await using var session = await dataSources.BeginTenantAsync(tenant.OrgId, tenant.UserId, CancellationToken.None);
            await AuditTrail.AppendAsync(session, entry, tenant.UserId == Guid.Empty ? null : tenant.UserId, tenant.UserName, tenant.CorrelationId, CancellationToken.None);
            await session.CommitAsync(CancellationToken.None);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            logger.LogError(ex, "Could not audit {Action} of {Function} (correlation {CorrelationId})", action, target.Function.QualifiedName, tenant.CorrelationId);
            throw new FunctionUnavailableException("The call could not be recorded in the audit trail, so it was stopped.");
        }
    }

    // Results go to the audit trail masked and bounded: a long list is summarized by its size.
    private static JsonElement? Bounded(object? result)
    {
        if (result is null)
        {
            return null;
        }
        var json = result is JsonElement element ? element : JsonSerializer.SerializeToElement(result, result.GetType());
        var text = json.GetRawText();
        return text.Length <= MaxResultBytes
            ? SecretArguments.Masked(new Dictionary<string, JsonElement> { ["value"] = json }).GetProperty("value")
            : JsonSerializer.SerializeToElement(new { truncated = true, characters = text.Length });
    }
}

/// <summary>The caller's permission and the organization's plugin switch.</summary>
internal sealed class FunctionPermissionFilter : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var (plugin, function) = PluginKernels.Resolve(context)
            ?? throw new FunctionUnavailableException($"'{context.Function.PluginName}.{context.Function.Name}' is not a plugin function of this kernel.");
        var tenant = context.Kernel.Services.GetRequiredService<TenantContext>();
        if (!tenant.IsAuthenticated || !tenant.HasPermission(function.Permission))
        {
            throw new FunctionPermissionException(function, tenant.IsAuthenticated);
        }
        if (!tenant.IsPluginEnabled(plugin.Id))
        {
            throw new FunctionDisabledException(plugin.Id);
        }
        await next(context);
    }
}

/// <summary>Checks the arguments against the function's parameters and converts them to the parameter types.</summary>
internal sealed class FunctionArgumentsFilter : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var (plugin, function) = PluginKernels.Resolve(context)!.Value;
        var json = plugin.Runtime?.Json ?? throw new FunctionUnavailableException($"Plugin '{plugin.Id}' is not loaded.");
        FunctionArguments.Prepare(function, context.Arguments, json);
        await next(context);
    }
}

/// <summary>A data-changing call the planner chose does not run: it becomes a pending action the user confirms or denies.</summary>
internal sealed class FunctionConfirmationFilter : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var call = FunctionCallInfo.Of(context.Kernel);
        var (plugin, function) = PluginKernels.Resolve(context)!.Value;
        if (function.ChangesData && call.Origin == FunctionCallOrigin.Planner)
        {
            var store = context.Kernel.Services.GetService<IPendingActionStore>()
                ?? throw new FunctionUnavailableException("Data-changing calls proposed by the planner need confirmation, and this host has no confirmation store.");
            var arguments = FunctionArguments.ToJson(context.Arguments, plugin.Runtime?.Json);
            var pending = await store.ProposeAsync(call, function, SecretArguments.Without(arguments), context.CancellationToken);
            context.Result = new FunctionResult(context.Function, pending);
            return;
        }
        await next(context);
    }
}

/// <summary>
/// Opens the plugin's DI scope for the call (seeing the caller's tenant through <see cref="HostScope"/>),
/// makes it ambient so the function's instance factory creates the class there, turns the result into
/// JSON with the plugin's serializer options, and keeps a plugin's exception from becoming the host's.
/// </summary>
internal sealed class PluginScopeFilter(ILogger<PluginScopeFilter> logger) : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        var (plugin, function) = PluginKernels.Resolve(context)!.Value;
        var runtime = plugin.Runtime ?? throw new FunctionUnavailableException($"Plugin '{plugin.Id}' is not loaded.");
        var tenant = context.Kernel.Services.GetRequiredService<TenantContext>();
        await using var scope = runtime.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostScope>().Services = context.Kernel.Services;
        using (PluginCallScope.Enter(new PluginCallScope(scope)))
        {
            try
            {
                await next(context);
                // Serialized here, inside the call, so no object of the plugin's outlives it.
                context.Result = new FunctionResult(context.Function, FunctionArguments.ResultToJson(context.Result.GetValue<object>(), runtime.Json));
            }
            catch (Exception ex) when (ex is not FunctionCallException and not OperationCanceledException)
            {
                throw Translate(function, ex is TargetInvocationException { InnerException: { } inner } ? inner : ex, tenant);
            }
        }
    }

    private FunctionCallException Translate(PluginFunction function, Exception ex, TenantContext tenant)
    {
        switch (ex)
        {
            case FunctionCallException call:
                return call;
            case var _ when Data.DatabaseFailures.IsUnavailable(ex):
                return new FunctionUnavailableException("The database is busy or unavailable. Try again in 2 seconds.");
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
}

using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Api;
using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Plugins;

public static class PluginsApi
{
    public static RouteGroupBuilder MapPluginsApi(this RouteGroupBuilder group)
    {
        group.WithTags("Plugins");
        group.MapGet("/", ListPlugins)
            .WithSummary("Every plugin the host found: loaded or failed (with the reason), its functions, and whether it is on for the caller's organization.");
        group.MapGet("/{id}", GetPlugin);
        group.MapPut("/{id}/enabled", SetEnabledAsync).RequirePermission(CorePermissions.AdminPlugins)
            .WithSummary("Switches a loaded plugin on or off for the caller's organization.");
        group.MapPost("/{id}/functions/{function}", InvokeFunctionAsync)
            .WithSummary("Calls a plugin function with a JSON object of arguments, as the caller, with the caller's permissions.");
        return group;
    }

    // The caller's organization's switched-off plugins were read with the caller (TenantContextMiddleware).
    private static Ok<List<PluginDto>> ListPlugins(PluginCatalog catalog, TenantContext tenant) =>
        TypedResults.Ok(catalog.All.Select(p => PluginDto.From(p, tenant.DisabledPlugins)).ToList());

    private static Results<Ok<PluginDto>, ProblemHttpResult> GetPlugin(string id, PluginCatalog catalog, TenantContext tenant) =>
        catalog.Find(id) is { } plugin
            ? TypedResults.Ok(PluginDto.From(plugin, tenant.DisabledPlugins))
            : TypedResults.Problem(statusCode: 404, title: "Plugin not found", detail: $"No plugin with id '{id}'.");

    private static async Task<Results<Ok<PluginDto>, ValidationProblem, ProblemHttpResult>> SetEnabledAsync(
        string id, SetPluginEnabledRequest request, PluginCatalog catalog, ITenantContext tenant, QmsDataSources dataSources,
        IAuditTrail audit, CallerCache callers, CancellationToken cancellationToken)
    {
        if (Validation.Validate(request) is { } invalid)
        {
            return invalid;
        }
        if (catalog.Find(id) is not { Status: PluginStatus.Loaded } plugin)
        {
            return TypedResults.Problem(statusCode: 404, title: "Plugin not found", detail: $"No loaded plugin with id '{id}'.");
        }
        await using var session = await dataSources.BeginTenantAsync(tenant.OrgId, tenant.UserId, cancellationToken);
        var wasEnabled = await PluginEnablement.SetEnabledAsync(session, id, request.Enabled!.Value, cancellationToken);
        if (wasEnabled != request.Enabled)
        {
            await audit.RecordAsync(session, new AuditEntry(request.Enabled.Value ? "plugin.enabled" : "plugin.disabled", "plugin", id)
            {
                Before = new { enabled = wasEnabled },
                After = new { enabled = request.Enabled },
                Reason = request.Reason,
            }, cancellationToken);
        }
        var disabled = await PluginEnablement.DisabledAsync(session, cancellationToken);
        await session.CommitAsync(cancellationToken);
        callers.Evict(tenant.OrgId);
        return TypedResults.Ok(PluginDto.From(plugin, disabled));
    }

    private static async Task<Results<Ok<FunctionResultDto>, ProblemHttpResult>> InvokeFunctionAsync(
        string id, string function, HttpContext http, PluginCatalog catalog, PluginFunctionInvoker invoker, CancellationToken cancellationToken)
    {
        if (catalog.Find(id) is not { } plugin || catalog.FindFunction(id, function) is not { } target)
        {
            return TypedResults.Problem(statusCode: 404, title: "Function not found", detail: $"No loaded function '{function}' in plugin '{id}'.");
        }
        var arguments = await ReadArgumentsAsync(http.Request, cancellationToken);
        if (arguments is null)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid arguments", detail: "The body must be a JSON object of argument names to values.");
        }
        try
        {
            var result = await invoker.InvokeAsync(plugin, target, arguments, http.RequestServices, cancellationToken);
            return TypedResults.Ok(new FunctionResultDto(target.QualifiedName, result));
        }
        catch (FunctionCallException ex)
        {
            if (ex.StatusCode == StatusCodes.Status503ServiceUnavailable)
            {
                http.Response.Headers.RetryAfter = "2";
            }
            return TypedResults.Problem(statusCode: ex.StatusCode, title: TitleOf(ex.StatusCode), detail: ex.Message);
        }
    }

    private static async Task<Dictionary<string, JsonElement>?> ReadArgumentsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.HasJsonContentType()))
        {
            return [];
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string TitleOf(int status) => status switch
    {
        400 => "Invalid arguments",
        401 => "Sign-in required",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        503 => "Unavailable",
        _ => "Function failed",
    };
}

public sealed record FunctionResultDto(string Function, JsonElement Result);

public sealed record SetPluginEnabledRequest([property: Required] bool? Enabled, [property: StringLength(500)] string? Reason);

public sealed record PluginDto(
    string Id, string? Version, string? DisplayName, string? Description, string Status, string? FailureReason, bool EnabledForOrganization,
    string? SdkVersion, IReadOnlyList<PermissionDto> Permissions, IReadOnlyList<FunctionDto> Functions,
    IReadOnlyList<JobDto> Jobs, IReadOnlyList<WorkflowDto> Workflows, IReadOnlyList<EventDto> Events, IReadOnlyList<SeedDto> Seeds)
{
    internal static PluginDto From(PluginRecord p, IReadOnlySet<string> disabled) => new(
        p.Id, p.Manifest?.Version, p.Manifest?.DisplayName, p.Manifest?.Description, p.Status.ToString(), p.FailureReason,
        p.Status == PluginStatus.Loaded && !disabled.Contains(p.Id),
        p.Manifest?.SdkVersion,
        [.. (p.Manifest?.Permissions ?? []).Select(x => new PermissionDto(x.Name, x.Description, x.DefaultRole))],
        [.. p.Functions.Select(f => new FunctionDto(f.Name, f.QualifiedName, f.Description, f.Permission, f.ChangesData, f.Examples, f.Parameters, f.ReturnType))],
        [.. (p.Runtime?.Jobs ?? []).Select(j => new JobDto(j.Name, j.DefaultCron, j.Description))],
        [.. (p.Runtime?.Workflows ?? []).Select(w => new WorkflowDto(w.Name, w.Description, [.. w.Steps.Select(s => s.Function)]))],
        [.. (p.Runtime?.Events ?? []).Select(e => new EventDto(e.Type, e.Description))],
        [.. (p.Runtime?.Seeds ?? []).Select(s => new SeedDto(s.Name, s.Version, s.Description, s.DemoOnly))]);
}

public sealed record PermissionDto(string Name, string Description, string DefaultRole);

public sealed record FunctionDto(
    string Name, string QualifiedName, string Description, string Permission, bool ChangesData,
    IReadOnlyList<string> Examples, IReadOnlyList<FunctionParameter> Parameters, string Returns);

public sealed record JobDto(string Name, string DefaultCron, string Description);

public sealed record EventDto(string Type, string Description);

public sealed record SeedDto(string Name, int Version, string Description, bool DemoOnly);

public sealed record WorkflowDto(string Name, string Description, IReadOnlyList<string> Steps);

using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Api;
using QmsAgentHost.Identity;
using QmsAgentHost.Plugins;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Planning;

public static class PlanningExtensions
{
    /// <summary>The offline planner and its function embeddings (the <c>eval planner</c> verb is in Cli/).</summary>
    public static IHostApplicationBuilder AddPlanning(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FunctionEmbeddings>();
        builder.Services.AddSingleton<OfflinePlanner>();
        builder.Services.AddSingleton<PlannerEvaluation>();
        return builder;
    }

    public static RouteGroupBuilder MapChatApi(this RouteGroupBuilder group)
    {
        group.WithTags("Chat");
        group.MapPost("/plan", PlanAsync).RequirePermission(CorePermissions.ChatAsk)
            .WithSummary("A dry run of the planner: which function the message would call, with which arguments, and how sure it is. Changes nothing.");
        return group;
    }

    private static async Task<Results<Ok<PlanResult>, ValidationProblem>> PlanAsync(
        PlanRequest request, PluginCatalog catalog, TenantContext tenant, OfflinePlanner planner, CancellationToken cancellationToken)
    {
        if (Validation.Validate(request, ("message", string.IsNullOrWhiteSpace(request.Message) ? "The message is empty." : null)) is { } invalid)
        {
            return invalid;
        }
        return TypedResults.Ok(await planner.PlanAsync(request.Message!, CallableFunctions(catalog, tenant), cancellationToken));
    }

    /// <summary>The functions this caller may call in this tenant now: loaded, switched on, permitted.</summary>
    internal static IReadOnlyList<PlannableFunction> CallableFunctions(PluginCatalog catalog, TenantContext tenant) =>
        [.. catalog.All
            .Where(p => p.Status == PluginStatus.Loaded && tenant.IsPluginEnabled(p.Id))
            .SelectMany(p => p.Functions)
            .Where(f => tenant.HasPermission(f.Permission))
            .Select(PlannableFunction.From)];
}

public sealed record PlanRequest([property: Required, StringLength(4_000)] string? Message);

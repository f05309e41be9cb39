using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Audit;

public static class AuditExtensions
{
    /// <summary>The audit trail and its verification (the API here, the <c>audit verify</c> verb in Cli/).</summary>
    public static IHostApplicationBuilder AddAuditTrail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IAuditTrail, AuditTrail>();
        builder.Services.AddSingleton<AuditChainVerifier>();
        return builder;
    }

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder group)
    {
        group.WithTags("Audit trail");
        group.MapGet("/", ListAsync)
            .RequirePermission(CorePermissions.AuditTrailView)
            .WithSummary("The tenant's audit events, newest first, filtered and paged (by page number or by afterSeq).");
        group.MapGet("/verify", VerifyAsync)
            .RequirePermission(CorePermissions.AuditTrailVerify)
            .WithSummary("Recomputes the tenant's hash chain and reports the first broken event, if any.");
        return group;
    }

    private static async Task<Results<Ok<AuditPageDto>, ValidationProblem>> ListAsync(
        HttpRequest http, ITenantDatabase database, CancellationToken cancellationToken)
    {
        if (AuditQuery.Parse(http.Query, out var errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors);
        }
        await using var session = await database.BeginAsync(cancellationToken);
        return TypedResults.Ok(await AuditTrailReader.ReadAsync(session, query, cancellationToken));
    }

    private static async Task<Ok<ChainVerification>> VerifyAsync(
        ITenantDatabase database, AuditChainVerifier verifier, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        return TypedResults.Ok(await verifier.VerifyAsync(session, cancellationToken));
    }
}

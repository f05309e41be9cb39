using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Cli;
using QmsAgentHost.Identity;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Signatures;
using QmsAgentHost.Signatures;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Audit;

public static class AuditExtensions
{
    /// <summary>The audit trail, its verification (API and <c>audit verify</c> verb) and electronic signatures.</summary>
    public static IHostApplicationBuilder AddAuditTrail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IAuditTrail, AuditTrail>();
        builder.Services.AddScoped<ISignatureService, SignatureService>();
        builder.Services.AddScoped<SigningTokens>();
        builder.Services.AddSingleton<AuditChainVerifier>();
        builder.Services.AddSingleton<ICliVerb, AuditCliVerb>();
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

using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using QmsAgentHost.Api;
using QmsAgentHost.Audit;
using QmsAgentHost.Identity;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Signatures;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Signatures;

public sealed record SigningTokenRequest([property: Required, StringLength(512)] string Password);

public sealed record SigningTokenResponse(string Token, DateTimeOffset ExpiresAt);

public static class SignaturesApi
{
    private static readonly string[] ListParameters = ["entityType", "entityId"];

    public static RouteGroupBuilder MapSignaturesApi(this RouteGroupBuilder group)
    {
        group.WithTags("Electronic signatures");
        group.MapPost("/tokens", IssueTokenAsync)
            .RequirePermission(CorePermissions.SignaturesSign)
            .RequireRateLimiting(IdentityExtensions.SignInRateLimit)
            .WithSummary("Re-verifies the caller's password and issues a single-use signing token, valid for five minutes.");
        group.MapGet("/", ListAsync)
            .RequirePermission(CorePermissions.AuditTrailView)
            .WithSummary("The signatures on one record, oldest first.");
        return group;
    }

    private static async Task<Results<Created<SigningTokenResponse>, ValidationProblem, ProblemHttpResult>> IssueTokenAsync(
        SigningTokenRequest request, SigningTokens tokens, CancellationToken cancellationToken)
    {
        if (Validation.Validate(request) is { } invalid)
        {
            return invalid;
        }
        var issued = await tokens.IssueAsync(request.Password, cancellationToken);
        return issued.Outcome switch
        {
            SignInOutcome.Succeeded => TypedResults.Created((string?)null, new SigningTokenResponse(issued.Token!, issued.ExpiresAt!.Value)),
            _ when issued.RetryAfter is { } retry => TypedResults.Problem(statusCode: 429, title: "Too many wrong passwords",
                detail: $"Password checks are paused after repeated wrong passwords. Try again after {retry:u}."),
            _ => TypedResults.Problem(statusCode: 401, title: "Wrong password", detail: "The password is wrong."),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<ElectronicSignature>>, ValidationProblem>> ListAsync(
        HttpRequest http, ITenantDatabase database, ISignatureService signatures, CancellationToken cancellationToken)
    {
        var parameters = new QueryParameters(http.Query, ListParameters);
        var entityType = parameters.RequiredText("entityType", 100);
        var entityId = parameters.RequiredText("entityId", 200);
        if (!parameters.IsValid)
        {
            return TypedResults.ValidationProblem(parameters.Errors);
        }
        await using var session = await database.BeginAsync(cancellationToken);
        return TypedResults.Ok(await signatures.ListAsync(session, entityType!, entityId!, cancellationToken));
    }
}

using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using QmsAgentHost.Api;
using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Identity;

public sealed record SiteDto(Guid Id, string Code, string Name, DateTimeOffset CreatedAt);

/// <param name="Name">The site's name, e.g. Detroit.</param>
/// <param name="Code">Its short code (letters, digits, dashes; up to 32); made from the name when not given.</param>
public sealed record CreateSiteRequest([property: Required, StringLength(200)] string Name, [property: StringLength(32)] string? Code);

/// <summary>The organization's sites, for holders of <c>admin:sites</c>. Adding one is audited.</summary>
public static class SitesApi
{
    public static RouteGroupBuilder MapSitesApi(this RouteGroupBuilder group)
    {
        group.WithTags("Sites").RequirePermission(CorePermissions.AdminSites);
        group.MapGet("/", ListAsync).WithSummary("The organization's sites, by code.");
        group.MapPost("/", CreateAsync).WithSummary("Adds a site; its code is made from the name when not given.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<SiteDto>>> ListAsync(ITenantDatabase database, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        return TypedResults.Ok(await SiteDirectory.ListAsync(session, cancellationToken));
    }

    private static async Task<Results<Created<SiteDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateSiteRequest request, ITenantDatabase database, IAuditTrail audit, CancellationToken cancellationToken)
    {
        var code = request.Code?.Trim() is { Length: > 0 } given ? given : SiteDirectory.CodeFrom(request.Name ?? "");
        if (Validation.Validate(request,
                (nameof(request.Name), string.IsNullOrWhiteSpace(request.Name) ? "The name must not be blank." : null),
                (nameof(request.Code), SiteDirectory.IsValidCode(code) ? null : "A code is 1 to 32 letters, digits or dashes.")) is { } invalid)
        {
            return invalid;
        }
        await using var session = await database.BeginAsync(cancellationToken);
        var site = await SiteDirectory.AddAsync(session, code, request.Name!.Trim(), cancellationToken);
        if (site is null)
        {
            return TypedResults.Problem(statusCode: 409, title: "Site code taken", detail: $"This organization already has a site with code '{code}'.");
        }
        await audit.RecordAsync(session, new AuditEntry("site.created", "site", site.Id.ToString()) { After = site }, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/sites/{site.Id}", site);
    }
}

/// <summary>Reads and adds <c>core.sites</c> in a tenant session; the sites API and the <c>site add</c> verb share it.</summary>
internal static partial class SiteDirectory
{
    public static bool IsValidCode(string code) => Code().IsMatch(code);

    /// <summary>A code from a name: <c>Monterrey North</c> becomes <c>MONTERREY-NORTH</c>.</summary>
    public static string CodeFrom(string name)
    {
        var code = NotCode().Replace(name.Trim().ToUpperInvariant(), "-").Trim('-');
        return code.Length > 32 ? code[..32].TrimEnd('-') : code;
    }

    public static async Task<IReadOnlyList<SiteDto>> ListAsync(TenantSession session, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand("SELECT site_id, code, name, created_at FROM core.sites ORDER BY code");
        var sites = new List<SiteDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sites.Add(Read(reader));
        }
        return sites;
    }

    /// <summary>Adds a site to the session's tenant; null when the code is taken (the transaction stays usable).</summary>
    public static async Task<SiteDto?> AddAsync(TenantSession session, string code, string name, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand("""
            INSERT INTO core.sites (org_id, code, name) VALUES (@org, @code, @name)
            ON CONFLICT (org_id, code) DO NOTHING
            RETURNING site_id, code, name, created_at
            """);
        command.Parameters.AddWithValue("org", session.OrgId);
        command.Parameters.AddWithValue("code", code);
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static SiteDto Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(reader.GetOrdinal("site_id")), reader.GetString(reader.GetOrdinal("code")),
        reader.GetString(reader.GetOrdinal("name")), reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("created_at")));

    [GeneratedRegex("^[A-Za-z0-9-]{1,32}$")]
    private static partial Regex Code();

    [GeneratedRegex("[^A-Z0-9]+")]
    private static partial Regex NotCode();
}

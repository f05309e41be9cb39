using Microsoft.AspNetCore.Mvc.RazorPages;
using QmsAgentHost.Identity;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Tenancy;
using QmsAgentHost.Tenancy;

namespace QmsAgentHost.Pages;

public sealed record PermissionLine(string Name, string Description);

/// <summary>The signed-in landing page: who you are, for which organization, and what you may do.</summary>
public sealed class IndexModel(ITenantContext tenant, ITenantDatabase database, PermissionResolver permissions) : PageModel
{
    public string Name => tenant.UserName;

    public string Role => tenant.Role;

    public string Organization { get; private set; } = "";

    public string? Site { get; private set; }

    public IReadOnlyList<PermissionLine> Permissions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await using (var session = await database.BeginAsync(cancellationToken))
        {
            await using var command = session.CreateCommand("""
                SELECT o.name, s.name FROM core.organizations o LEFT JOIN core.sites s ON s.site_id = @site
                """);
            command.Parameters.AddWithValue("site", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)tenant.SiteId ?? DBNull.Value);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    Organization = reader.GetString(0);
                    Site = reader.IsDBNull(1) ? null : reader.GetString(1);
                }
            }
            await session.CommitAsync(cancellationToken);
        }
        var descriptions = permissions.KnownPermissions().DistinctBy(p => p.Name).ToDictionary(p => p.Name, p => p.Description, StringComparer.Ordinal);
        Permissions = [.. tenant.Permissions.Order(StringComparer.Ordinal).Select(p => new PermissionLine(p, descriptions.GetValueOrDefault(p, "")))];
    }
}

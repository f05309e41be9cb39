using Npgsql;
using QmsAgentHost.Audit;
using QmsAgentHost.Data;

namespace QmsAgentHost.Cli;

/// <summary>
/// <c>audit verify --org &lt;slug-or-uuid&gt;</c>: verifies one tenant's hash chain with the same
/// <see cref="AuditChainVerifier"/> as <c>GET /api/audit/verify</c>, as the application role bound to
/// that tenant. The owner role is used for one thing only: mapping the slug to the organization id
/// through <c>core.org_directory</c>, which the application role cannot read.
/// Exit codes: 0 intact, 1 broken, 2 usage error (including an unknown organization), 3 could not verify.
/// </summary>
internal sealed class AuditCliVerb(QmsDataSources dataSources, AuditChainVerifier verifier) : ICliVerb
{
    public const int Intact = 0;
    public const int Broken = 1;
    public const int UsageError = 2;
    public const int CouldNotVerify = 3;

    private const string Usage = "Usage: audit verify --org <slug-or-uuid>";

    public string Name => "audit";

    public TextWriter Output { get; init; } = Console.Out;

    public TextWriter Error { get; init; } = Console.Error;

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            await Output.WriteLineAsync(Usage + "\n\nRecomputes one organization's audit hash chain and reports its head and the first broken event."
                + "\nExit codes: 0 intact, 1 broken, 2 usage error or unknown organization, 3 could not verify.");
            return Intact;
        }
        if (args is not ["verify", .. var options] || ReadOrg(options) is not { } org)
        {
            await Error.WriteLineAsync(Usage);
            return UsageError;
        }
        try
        {
            var orgId = await ResolveOrgAsync(org, cancellationToken);
            if (orgId is null)
            {
                await Error.WriteLineAsync($"No organization with slug or id '{org}'.");
                return UsageError;
            }
            await using var session = await dataSources.BeginTenantAsync(orgId.Value, null, cancellationToken);
            var result = await verifier.VerifyAsync(session, cancellationToken);
            await WriteSummaryAsync(org, orgId.Value, result);
            return result.Valid ? Intact : Broken;
        }
        catch (NpgsqlException ex)
        {
            await Error.WriteLineAsync($"Could not verify the audit trail: {ex.Message}");
            return CouldNotVerify;
        }
    }

    private async Task WriteSummaryAsync(string org, Guid orgId, ChainVerification result)
    {
        await Output.WriteLineAsync($"Audit trail of {org} ({orgId}): {result.EventsChecked} event(s) checked.");
        await Output.WriteLineAsync(result.HeadHash is null ? "Head: none (no events)." : $"Head: #{result.HeadSeq} {result.HeadHash}");
        await Output.WriteLineAsync(result.FirstBroken is { } broken
            ? $"BROKEN at event #{broken.Seq}: {broken.Reason}."
            : "Chain intact.");
    }

    private static string? ReadOrg(string[] options) => options switch
    {
        ["--org", var value] when value.Length > 0 => value,
        [var single] when single.StartsWith("--org=", StringComparison.Ordinal) && single.Length > "--org=".Length => single["--org=".Length..],
        _ => null,
    };

    private async Task<Guid?> ResolveOrgAsync(string org, CancellationToken cancellationToken)
    {
        var byId = Guid.TryParse(org, out var id);
        await using var command = dataSources.Admin.CreateCommand(byId
            ? "SELECT org_id FROM core.org_directory WHERE org_id = @key"
            : "SELECT org_id FROM core.org_directory WHERE slug = @key");
        command.Parameters.AddWithValue("key", byId ? id : org.ToLowerInvariant());
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }
}

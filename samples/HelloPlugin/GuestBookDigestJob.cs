using QmsAgentHost.Sdk.Audit;
using QmsAgentHost.Sdk.Data;
using QmsAgentHost.Sdk.Jobs;

namespace HelloPlugin;

/// <summary>Each morning, records in the tenant's audit trail how many guests signed in the last day.</summary>
public sealed class GuestBookDigestJob(ITenantDatabase database, IAuditTrail audit) : IPluginJob
{
    public async Task ExecuteAsync(PluginJobContext context, CancellationToken cancellationToken)
    {
        await using var session = await database.BeginAsync(cancellationToken);
        await using var command = session.CreateCommand(
            "SELECT count(*) FROM hello.guest_book WHERE signed_at > @since AND signed_at <= @until");
        command.Parameters.AddWithValue("since", context.ScheduledFor.AddDays(-1));
        command.Parameters.AddWithValue("until", context.ScheduledFor);
        var entries = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        await audit.RecordAsync(session, new AuditEntry("hello.daily-digest", "guest-book", null)
        {
            After = new { entries, day = context.ScheduledFor.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }
}

using QmsAgentHost.Data;
using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Plugins;

/// <summary>
/// Which loaded plugins each tenant has switched off (<c>core.plugin_settings</c>). A loaded plugin
/// is on for every tenant until its administrator switches it off; then its functions refuse calls
/// and its jobs skip that tenant.
/// </summary>
public sealed class PluginEnablement(QmsDataSources dataSources)
{
    public async Task<bool> IsEnabledAsync(Guid orgId, string pluginId, CancellationToken cancellationToken)
    {
        await using var session = await dataSources.BeginTenantAsync(orgId, null, cancellationToken);
        return !(await DisabledAsync(session, cancellationToken)).Contains(pluginId);
    }

    /// <summary>The ids of the plugins the session's tenant has switched off.</summary>
    public static async Task<HashSet<string>> DisabledAsync(TenantSession session, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand("SELECT plugin_id FROM core.plugin_settings WHERE NOT enabled");
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            disabled.Add(reader.GetString(0));
        }
        return disabled;
    }

    /// <summary>Switches a plugin on or off for the session's tenant; returns the previous state.</summary>
    public static async Task<bool> SetEnabledAsync(TenantSession session, string pluginId, bool enabled, CancellationToken cancellationToken)
    {
        await using var command = session.CreateCommand("""
            WITH previous AS (SELECT enabled FROM core.plugin_settings WHERE plugin_id = @plugin)
            INSERT INTO core.plugin_settings (org_id, plugin_id, enabled, updated_at) VALUES (@org, @plugin, @enabled, now())
            ON CONFLICT (org_id, plugin_id) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()
            RETURNING coalesce((SELECT enabled FROM previous), true)
            """);
        command.Parameters.AddWithValue("org", session.OrgId);
        command.Parameters.AddWithValue("plugin", pluginId);
        command.Parameters.AddWithValue("enabled", enabled);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

using System.Text.Json;

namespace QmsAgentHost.Sdk.Testing;

/// <summary>A user of the test tenant, made by <see cref="PluginTestHost.CreateUserAsync"/>.</summary>
/// <param name="UserId">The user's id, as the plugin sees it in <c>ITenantContext.UserId</c>.</param>
/// <param name="Login">The user's unique login (an e-mail address under the tenant's test domain).</param>
/// <param name="DisplayName">The name the plugin sees in <c>ITenantContext.UserName</c> and audit events carry.</param>
/// <param name="Role">The built-in role: Owner, Admin, Manager, Analyst, Viewer or Auditor.</param>
public sealed record TestUser(Guid UserId, string Login, string DisplayName, string Role);

/// <summary>An event of the tenant's audit trail, as stored in <c>core.audit_events</c>.</summary>
/// <param name="Sequence">1-based position in the tenant's hash chain.</param>
/// <param name="OccurredAt">The database server's time of the insert (not the test clock: the chain is stamped by PostgreSQL).</param>
/// <param name="ActorId">The acting user, or null for the system.</param>
/// <param name="ActorName">The acting user's display name, or <c>system</c>.</param>
/// <param name="Action">The dotted verb the plugin recorded, e.g. <c>hello.guest-book-signed</c>.</param>
/// <param name="EntityType">The kind of record.</param>
/// <param name="EntityId">The record's id or number.</param>
/// <param name="Before">The record before the change, as stored JSON; null when none was given.</param>
/// <param name="After">The record after the change, as stored JSON; null when none was given.</param>
/// <param name="Reason">The reason given, if any.</param>
/// <param name="CorrelationId">Ties the event to the call that recorded it.</param>
/// <param name="Hash">Hex SHA-256 of the event's canonical form.</param>
public sealed record AuditEvent(
    long Sequence,
    DateTimeOffset OccurredAt,
    Guid? ActorId,
    string ActorName,
    string Action,
    string EntityType,
    string? EntityId,
    JsonElement? Before,
    JsonElement? After,
    string? Reason,
    string? CorrelationId,
    string Hash);

/// <summary>
/// A function call was refused or failed. <see cref="StatusCode"/> is the HTTP status the host's
/// API would have answered with: 400 invalid arguments, 401 not signed in, 403 missing permission
/// (or a rejected signature), 404 no such function or record, 409 conflict, 500 the plugin threw,
/// 503 the plugin is not loaded.
/// </summary>
public sealed class PluginCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="function">The function called, <c>plugin-id.function</c>.</param>
    /// <param name="statusCode">The HTTP status the API would have answered with.</param>
    /// <param name="message">The message the API would have shown (problem details' <c>detail</c>).</param>
    /// <param name="innerException">The exception the plugin threw, when it threw one.</param>
    public PluginCallException(string function, int statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Function = function;
        StatusCode = statusCode;
    }

    /// <summary>The function called, <c>plugin-id.function</c>.</summary>
    public string Function { get; }

    /// <summary>The HTTP status the API would have answered with.</summary>
    public int StatusCode { get; }
}

/// <summary>
/// The host refused to load the plugin (bad manifest, incompatible SDK range, missing dependency,
/// exception in <c>Configure</c>, invalid settings, failed migration, a table without forced
/// row-level security, ...). <see cref="Reason"/> is what <c>GET /api/plugins</c> would show.
/// </summary>
public sealed class PluginRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="pluginId">The plugin's id, or its folder name when the manifest could not be read.</param>
    /// <param name="reason">Why the host refused it.</param>
    public PluginRefusedException(string pluginId, string reason)
        : base($"Plugin '{pluginId}' was refused: {reason}")
    {
        PluginId = pluginId;
        Reason = reason;
    }

    /// <summary>The plugin's id, or its folder name when the manifest could not be read.</summary>
    public string PluginId { get; }

    /// <summary>Why the host refused the plugin, as <c>GET /api/plugins</c> shows it.</summary>
    public string Reason { get; }
}

using System.Text.Json;

namespace QmsAgentHost.Sdk.Functions;

/// <summary>
/// Calls another plugin's function as the current caller, through the host's function runtime: the
/// same permission check, per-tenant plugin switch, argument binding and audit as any other call.
/// This is how plugins work together without referencing each other's assemblies (the CAPA plugin
/// reads an NCM through <c>ncm.get_ncm</c>).
/// </summary>
public interface IPluginFunctions
{
    /// <summary>
    /// True when <paramref name="function"/> (<c>plugin-id.function_name</c>) is loaded, switched on for
    /// the tenant and permitted to the caller.
    /// </summary>
    bool CanCall(string function);

    /// <summary>
    /// Calls <paramref name="function"/> (<c>plugin-id.function_name</c>) with <paramref name="arguments"/>
    /// (an object or dictionary whose properties are the function's parameter names). Never throws for
    /// a refused or failed call: the result says what happened.
    /// </summary>
    Task<FunctionCallResult> CallAsync(string function, object? arguments = null, CancellationToken cancellationToken = default);
}

/// <summary>What a call through <see cref="IPluginFunctions"/> returned.</summary>
/// <param name="Succeeded">True when the function ran and returned.</param>
/// <param name="Value">The function's result as JSON (camelCase), when it succeeded.</param>
/// <param name="Status">An HTTP-like status: 200, or 400 bad arguments, 401/403 refused, 404 not found, 409 conflict, 500 failed, 503 unavailable.</param>
/// <param name="Error">Why it did not succeed, in words a user can read.</param>
public sealed record FunctionCallResult(bool Succeeded, JsonElement? Value, int Status, string? Error);

/// <summary>
/// A follow-up call a function proposes instead of making it, for the user to confirm: an audit
/// finding offering to raise a linked NCM. A function's result record exposes them through
/// <see cref="IProposesCalls"/>; chat shows each as a pending action with Confirm and Deny.
/// </summary>
/// <param name="Function"><c>plugin-id.function_name</c>.</param>
/// <param name="Arguments">The exact arguments the call would get.</param>
/// <param name="Summary">One sentence a person can confirm, e.g. "Raise an NCM for finding 3 of AUD-2026-0004".</param>
public sealed record ProposedCall(string Function, IReadOnlyDictionary<string, object?> Arguments, string Summary);

/// <summary>Implemented by a function's result record that proposes follow-up calls.</summary>
public interface IProposesCalls
{
    /// <summary>The calls proposed, for the user to confirm or deny.</summary>
    IReadOnlyList<ProposedCall> ProposedCalls { get; }
}

using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Functions;

/// <summary>
/// The permission a caller needs to run a <c>[KernelFunction]</c>, e.g. <c>ncm:create</c>.
/// Required on every plugin function: the host refuses a plugin whose function has none, and
/// checks the permission on every call, whoever makes it (chat, API, workflow, job).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed partial class PermissionAttribute : Attribute
{
    /// <summary>Tags a function with the permission it needs.</summary>
    /// <param name="permission"><c>&lt;area&gt;:&lt;action&gt;</c>, lower case.</param>
    public PermissionAttribute(string permission)
    {
        if (!IsValidPermission(permission))
        {
            throw new ArgumentException($"'{permission}' is not of the form '<area>:<action>'.", nameof(permission));
        }
        Permission = permission;
    }

    /// <summary>The permission string.</summary>
    public string Permission { get; }

    /// <summary>True when <paramref name="permission"/> is of the form <c>&lt;area&gt;:&lt;action&gt;</c>.</summary>
    public static bool IsValidPermission(string? permission) => permission is not null && Pattern().IsMatch(permission);

    [GeneratedRegex("^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$")]
    private static partial Regex Pattern();
}

/// <summary>
/// Marks a function that creates, changes or deletes data. The planner asks the user to confirm
/// before it runs such a function, and the function must record an audit event.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ChangesDataAttribute : Attribute;

/// <summary>
/// An example of what a user might say to get this function called. The offline planner learns
/// from these; give a few that differ in wording.
/// </summary>
/// <param name="request">An example request, e.g. "log a nonconformance for part 4711".</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ExampleAttribute(string request) : Attribute
{
    /// <summary>The example request.</summary>
    public string Request { get; } = request;
}

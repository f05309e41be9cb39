using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace QmsAgentHost.Sdk.Plugins;

/// <summary>A plugin's <c>plugin.json</c>: who it is and what it needs from the host.</summary>
public sealed partial record PluginManifest
{
    /// <summary>The file name the host looks for in each plugin folder.</summary>
    public const string FileName = "plugin.json";

    /// <summary>Stable identifier, lower case letters, digits and dashes (e.g. <c>ncm</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The plugin's own semantic version.</summary>
    public required string Version { get; init; }

    /// <summary>Name shown to people.</summary>
    public required string DisplayName { get; init; }

    /// <summary>One or two sentences on what the plugin does.</summary>
    public string Description { get; init; } = "";

    /// <summary>The range of SDK versions the plugin was built for, e.g. <c>^1.0</c> or <c>&gt;=1.0.0 &lt;2.0.0</c>.</summary>
    public required string SdkVersion { get; init; }

    /// <summary>The file name of the entry assembly, relative to the plugin folder.</summary>
    public required string EntryAssembly { get; init; }

    /// <summary>The permissions the plugin's functions use, each <c>&lt;area&gt;:&lt;action&gt;</c>.</summary>
    public IReadOnlyList<PermissionDeclaration> Permissions { get; init; } = [];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        // camelCase names, so a message about a missing field names it as plugin.json spells it.
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses and validates a manifest.</summary>
    /// <exception cref="PluginManifestException">The text is not a valid manifest; the message says why.</exception>
    public static PluginManifest Parse(string json)
    {
        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PluginManifest>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new PluginManifestException($"plugin.json is not valid: {ex.Message}", ex);
        }
        if (manifest is null)
        {
            throw new PluginManifestException("plugin.json is empty.");
        }
        manifest.Validate();
        return manifest;
    }

    private void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id) || !IdPattern().IsMatch(Id))
        {
            problems.Add("'id' must be lower case letters, digits and dashes, starting with a letter (max 64)");
        }
        if (!SemanticVersion.TryParse(Version, out _))
        {
            problems.Add($"'version' '{Version}' is not a semantic version");
        }
        if (string.IsNullOrWhiteSpace(DisplayName))
        {
            problems.Add("'displayName' is required");
        }
        if (!SemanticVersionRange.TryParse(SdkVersion, out _))
        {
            problems.Add($"'sdkVersion' '{SdkVersion}' is not a version range such as '^1.0' or '>=1.0.0 <2.0.0'");
        }
        if (string.IsNullOrWhiteSpace(EntryAssembly) || !EntryAssembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            || EntryAssembly.Contains('/') || EntryAssembly.Contains('\\'))
        {
            problems.Add("'entryAssembly' must be a .dll file name in the plugin folder");
        }
        ValidatePermissions(problems);
        if (problems.Count > 0)
        {
            throw new PluginManifestException("plugin.json is not valid: " + string.Join("; ", problems) + ".");
        }
    }

    private void ValidatePermissions(List<string> problems)
    {
        if (Permissions is null)
        {
            problems.Add("'permissions' must be a list of permission objects");
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var permission in Permissions)
        {
            if (permission is null)
            {
                problems.Add("'permissions' must not contain null");
                continue;
            }
            if (!Functions.PermissionAttribute.IsValidPermission(permission.Name))
            {
                problems.Add($"permission '{permission.Name}' must look like '<area>:<action>'");
            }
            else if (!seen.Add(permission.Name))
            {
                problems.Add($"permission '{permission.Name}' is declared twice");
            }
            if (!PermissionDeclaration.Roles.Contains(permission.DefaultRole, StringComparer.Ordinal))
            {
                problems.Add($"'defaultRole' '{permission.DefaultRole}' of permission '{permission.Name}' must be one of {string.Join(", ", PermissionDeclaration.Roles)}");
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();
}

/// <summary>A permission a plugin declares, with the lowest built-in role that gets it by default.</summary>
public sealed record PermissionDeclaration
{
    /// <summary><c>&lt;area&gt;:&lt;action&gt;</c>, e.g. <c>ncm:create</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the permission allows, shown to administrators.</summary>
    public string Description { get; init; } = "";

    /// <summary>The built-in role names a <see cref="DefaultRole"/> may take, lowest first; Auditor stands apart.</summary>
    internal static readonly string[] Roles = ["Viewer", "Analyst", "Manager", "Admin", "Owner", "Auditor"];

    /// <summary>
    /// The lowest role that holds the permission by default (<c>Viewer</c>, <c>Analyst</c>,
    /// <c>Manager</c>, <c>Admin</c>, <c>Owner</c>; spelled exactly so); higher roles inherit it.
    /// The <c>Auditor</c> role holds every permission whose action only reads (<c>view</c>,
    /// <c>read</c>, <c>list</c>, <c>search</c>, <c>ask</c>, <c>verify</c>), whatever its default role.
    /// Administrators can change the mapping per tenant.
    /// </summary>
    [JsonPropertyName("defaultRole")]
    public string DefaultRole { get; init; } = "Admin";
}

/// <summary>Thrown when a <c>plugin.json</c> cannot be used.</summary>
public sealed class PluginManifestException(string message, Exception? inner = null) : Exception(message, inner);

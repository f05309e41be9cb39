using System.Text.Json.Nodes;
using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Sdk.Tests.Plugins;

public sealed class PluginManifestTests
{
    private const string Valid = """
        {
          "id": "ncm",
          "version": "1.2.0",
          "displayName": "Nonconformances",
          "description": "Log and track nonconforming material.",
          "sdkVersion": "^1.0",
          "entryAssembly": "Ncm.dll",
          "permissions": [
            { "name": "ncm:read", "description": "Read NCMs", "defaultRole": "Viewer" },
            { "name": "ncm:create", "description": "Log NCMs", "defaultRole": "Analyst" },
            { "name": "ncm:close" }
          ]
        }
        """;

    /// <summary>The valid manifest with one change applied, as JSON text.</summary>
    private static string ValidWith(Action<JsonObject> change)
    {
        var manifest = JsonNode.Parse(Valid)!.AsObject();
        change(manifest);
        return manifest.ToJsonString();
    }

    private static string ProblemIn(string json) => Assert.Throws<PluginManifestException>(() => PluginManifest.Parse(json)).Message;

    [Fact]
    public void Valid_manifest_is_read_with_every_field()
    {
        var manifest = PluginManifest.Parse(Valid);

        Assert.Equal("ncm", manifest.Id);
        Assert.Equal("1.2.0", manifest.Version);
        Assert.Equal("Nonconformances", manifest.DisplayName);
        Assert.Equal("Log and track nonconforming material.", manifest.Description);
        Assert.Equal("^1.0", manifest.SdkVersion);
        Assert.Equal("Ncm.dll", manifest.EntryAssembly);
        Assert.Equal(["ncm:read", "ncm:create", "ncm:close"], manifest.Permissions.Select(p => p.Name));
        Assert.Equal(["Viewer", "Analyst", "Admin"], manifest.Permissions.Select(p => p.DefaultRole));
        Assert.Equal("Read NCMs", manifest.Permissions[0].Description);
    }

    [Fact]
    public void Optional_fields_have_defaults()
    {
        var manifest = PluginManifest.Parse("""
            { "id": "x", "version": "1.0.0", "displayName": "X", "sdkVersion": "1.x", "entryAssembly": "X.dll" }
            """);

        Assert.Equal("", manifest.Description);
        Assert.Empty(manifest.Permissions);
    }

    [Fact]
    public void Comments_trailing_commas_and_any_property_case_are_accepted()
    {
        var manifest = PluginManifest.Parse("""
            {
              // the plugin's identity
              "ID": "ncm",
              "Version": "1.0.0", /* semantic */
              "displayname": "NCM",
              "sdkVersion": "^1.0",
              "entryAssembly": "Ncm.dll",
              "permissions": [ { "name": "ncm:read", "defaultRole": "Viewer", }, ],
            }
            """);

        Assert.Equal("ncm", manifest.Id);
        Assert.Equal("NCM", manifest.DisplayName);
        Assert.Equal("Viewer", Assert.Single(manifest.Permissions).DefaultRole);
    }

    [Fact]
    public void Unknown_properties_are_ignored_so_an_older_host_reads_a_newer_manifest()
    {
        var manifest = PluginManifest.Parse(ValidWith(m =>
        {
            m["homepage"] = "https://example.test/ncm";
            m["settings"] = new JsonObject { ["retention"] = 30 };
            m["permissions"]![0]!["icon"] = "eye";
        }));

        Assert.Equal("ncm", manifest.Id);
        Assert.Equal(3, manifest.Permissions.Count);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("version")]
    [InlineData("displayName")]
    [InlineData("sdkVersion")]
    [InlineData("entryAssembly")]
    public void A_missing_required_field_is_named(string field)
    {
        var message = ProblemIn(ValidWith(m => m.Remove(field)));

        Assert.StartsWith("plugin.json is not valid", message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id", "NCM")]
    [InlineData("id", "1ncm")]
    [InlineData("id", "ncm_records")]
    [InlineData("id", "")]
    [InlineData("id", null)]
    [InlineData("version", "one")]
    [InlineData("version", "1.2.3.4")]
    [InlineData("version", "1.0.0-")]
    [InlineData("version", null)]
    [InlineData("displayName", "  ")]
    [InlineData("displayName", null)]
    [InlineData("sdkVersion", "latest")]
    [InlineData("sdkVersion", ">= 1.0")]
    [InlineData("sdkVersion", "")]
    [InlineData("entryAssembly", "Ncm.exe")]
    [InlineData("entryAssembly", "bin/Ncm.dll")]
    [InlineData("entryAssembly", "..\\Ncm.dll")]
    [InlineData("entryAssembly", "")]
    public void An_invalid_field_is_named_in_the_message(string field, string? value)
    {
        var message = ProblemIn(ValidWith(m => m[field] = value));

        Assert.StartsWith("plugin.json is not valid: ", message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Id_may_be_up_to_64_characters()
    {
        var longest = "a" + new string('b', 63);

        Assert.Equal(longest, PluginManifest.Parse(ValidWith(m => m["id"] = longest)).Id);
        Assert.Contains("'id'", ProblemIn(ValidWith(m => m["id"] = longest + "c")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ncm.DLL")]
    [InlineData("Acme.Quality.Ncm.dll")]
    public void Entry_assembly_is_a_dll_file_name_in_any_case(string entryAssembly) =>
        Assert.Equal(entryAssembly, PluginManifest.Parse(ValidWith(m => m["entryAssembly"] = entryAssembly)).EntryAssembly);

    [Theory]
    [InlineData("NCM:read")]
    [InlineData("ncm")]
    [InlineData("ncm:read:all")]
    [InlineData("")]
    public void An_invalid_permission_name_is_named(string name)
    {
        var message = ProblemIn(ValidWith(m => m["permissions"]![1]!["name"] = name));

        Assert.Contains($"permission '{name}' must look like '<area>:<action>'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_permission_without_a_name_is_refused()
    {
        var message = ProblemIn(ValidWith(m => m["permissions"]![1]!.AsObject().Remove("name")));

        Assert.Contains("'name'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("analyst")]
    [InlineData("Superuser")]
    [InlineData("")]
    public void An_unknown_default_role_is_named(string role)
    {
        var message = ProblemIn(ValidWith(m => m["permissions"]![0]!["defaultRole"] = role));

        Assert.Contains($"'defaultRole' '{role}' of permission 'ncm:read'", message, StringComparison.Ordinal);
        Assert.Contains("Viewer, Analyst, Manager, Admin, Owner, Auditor", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_permission_declared_twice_is_refused()
    {
        var message = ProblemIn(ValidWith(m => m["permissions"]![2]!["name"] = "ncm:read"));

        Assert.Contains("permission 'ncm:read' is declared twice", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[null]")]
    [InlineData("{}")]
    [InlineData("\"ncm:read\"")]
    public void Permissions_must_be_a_list_of_objects(string permissions)
    {
        var message = ProblemIn(ValidWith(m => m["permissions"] = JsonNode.Parse(permissions)));

        Assert.StartsWith("plugin.json is not valid", message, StringComparison.Ordinal);
        Assert.Contains("permissions", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var message = ProblemIn(ValidWith(m =>
        {
            m["id"] = "Bad Id";
            m["version"] = "x";
            m["entryAssembly"] = "Ncm.so";
        }));

        Assert.Contains("'id'", message, StringComparison.Ordinal);
        Assert.Contains("'version' 'x'", message, StringComparison.Ordinal);
        Assert.Contains("'entryAssembly'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{ \"id\": \"ncm\", ")]
    [InlineData("{ \"id\": 42 }")]
    public void Text_that_is_not_a_manifest_object_is_refused(string json)
    {
        var message = ProblemIn(json);

        Assert.StartsWith("plugin.json ", message, StringComparison.Ordinal);
    }
}

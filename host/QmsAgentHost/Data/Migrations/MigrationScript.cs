using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace QmsAgentHost.Data.Migrations;

/// <summary>One SQL migration of one schema.</summary>
public sealed record MigrationScript(string Schema, string Name, string Sql)
{
    /// <summary>SHA-256 of the script with line endings normalized, so a checkout on Windows does not look changed.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.Replace("\r\n", "\n", StringComparison.Ordinal).Trim())));

    /// <summary>
    /// Reads every embedded resource of <paramref name="assembly"/> whose name contains
    /// <c>.Migrations.</c> and ends with <c>.sql</c>, ordered by file name.
    /// </summary>
    public static IReadOnlyList<MigrationScript> FromAssembly(Assembly assembly, string schema, string? resourceFilter = null)
    {
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.Contains(".Migrations.", StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (resourceFilter is not null && !resource.Contains(resourceFilter, StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new MigrationScript(schema, FileNameOf(resource), reader.ReadToEnd()));
        }
        return [.. scripts.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    // "Host.Data.Migrations.Core.0001_tenancy.sql" -> "0001_tenancy.sql"
    private static string FileNameOf(string resource)
    {
        var withoutExtension = resource[..^4];
        var lastDot = withoutExtension.LastIndexOf('.');
        return withoutExtension[(lastDot + 1)..] + ".sql";
    }
}

/// <summary>An applied migration's text was changed afterwards.</summary>
public sealed class MigrationChecksumException(string message) : Exception(message);

using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using QmsAgentHost.Data;

namespace QmsAgentHost.Identity;

/// <summary>
/// Keeps ASP.NET Core data-protection keys in PostgreSQL, so every node decrypts every node's cookies.
/// Uses the owner role: the application role (and so plugin code) cannot read the keys.
/// </summary>
internal sealed class PostgresXmlRepository(QmsDataSources dataSources) : IXmlRepository
{
    // IXmlRepository is synchronous by contract; it is called at start-up and on key rotation, never per request.
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSources.Admin.CreateCommand("SELECT xml FROM core.data_protection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSources.Admin.CreateCommand("INSERT INTO core.data_protection_keys (friendly_name, xml) VALUES (@name, @xml)");
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}

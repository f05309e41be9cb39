namespace QmsAgentHost.Fixtures.Catalog;

/// <summary>What a catalog fixture function returns: its own name and the arguments it received, so a test sees exactly what ran.</summary>
public sealed record CatalogCall(string Function, object Arguments)
{
    /// <summary>The record number a creation would have made, e.g. <c>NCM-2026-0001</c>.</summary>
    public string? RecordId { get; init; }

    public static CatalogCall Of(string function, object arguments, string? recordId = null) =>
        new(function, arguments) { RecordId = recordId };
}

namespace QmsAgentHost.Audit;

/// <summary>
/// A filtered, paged read of the audit trail. Paging is either by page number (<see cref="Page"/>)
/// or by keyset (<see cref="AfterSeq"/>: the events that come after that sequence number in the
/// chosen order), never both. <see cref="From"/> is inclusive, <see cref="To"/> exclusive.
/// </summary>
internal sealed record AuditQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    private static readonly string[] Known =
        ["from", "to", "action", "entityType", "entityId", "actorId", "correlationId", "page", "pageSize", "afterSeq", "order"];

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Action { get; init; }
    public string? EntityType { get; init; }
    public string? EntityId { get; init; }
    public Guid? ActorId { get; init; }
    public string? CorrelationId { get; init; }
    public int? Page { get; init; }
    public int PageSize { get; init; } = DefaultPageSize;
    public long? AfterSeq { get; init; }
    public bool Ascending { get; init; }

    /// <summary>Parses the query string; returns null with the errors by parameter when anything is invalid.</summary>
    public static AuditQuery? Parse(IQueryCollection query, out Dictionary<string, string[]> errors)
    {
        var parameters = new QueryParameters(query, Known);
        var parsed = new AuditQuery
        {
            From = parameters.DateTime("from"),
            To = parameters.DateTime("to"),
            Action = parameters.Text("action", 100),
            EntityType = parameters.Text("entityType", 100),
            EntityId = parameters.Text("entityId", 200),
            ActorId = parameters.Uuid("actorId"),
            CorrelationId = parameters.Text("correlationId", 64),
            Page = (int?)parameters.Integer("page", 1, 1_000_000),
            PageSize = (int?)parameters.Integer("pageSize", 1, MaxPageSize) ?? DefaultPageSize,
            AfterSeq = parameters.Integer("afterSeq", 0, long.MaxValue),
            Ascending = parameters.OneOf("order", "asc", "desc") == "asc",
        };
        if (parsed.From > parsed.To)
        {
            parameters.AddError("to", "Must not be earlier than 'from'.");
        }
        if (parsed.Page is not null && parsed.AfterSeq is not null)
        {
            parameters.AddError("afterSeq", "Page either by 'page' or by 'afterSeq', not both.");
        }
        errors = parameters.Errors;
        return parameters.IsValid ? parsed : null;
    }
}

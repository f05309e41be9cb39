using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Sdk.Knowledge;

/// <summary>
/// The tenant's document store: files and texts in named collections (<c>standards</c>,
/// <c>erp-manuals</c>, <c>sops</c>, <c>interviews</c>, ...), parsed, chunked, embedded and indexed for
/// hybrid (vector + BM25 keyword) search with citations. Every call acts for the current tenant and
/// user; row-level security decides what a caller sees.
/// </summary>
public interface IKnowledgeStore
{
    /// <summary>
    /// Adds a document to a collection and queues it for ingestion (parsing, chunking, embedding,
    /// indexing), which runs in the background. The same content (SHA-256) already stored in the
    /// tenant is not stored twice: the existing document is returned with <see cref="DocumentReceipt.Duplicate"/> set.
    /// </summary>
    /// <param name="document">The file or text, its collection and optional site.</param>
    /// <param name="session">
    /// When given, the document is recorded in this transaction (for example together with the plugin's
    /// own record) and ingestion starts once it commits; when null, the store commits its own.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DocumentReceipt> AddAsync(NewDocument document, TenantSession? session = null, CancellationToken cancellationToken = default);

    /// <summary>The document's status and counts, or null when the tenant has no such document.</summary>
    Task<DocumentInfo?> GetAsync(Guid documentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until the document is <see cref="DocumentStatus.Indexed"/> or <see cref="DocumentStatus.Failed"/>,
    /// or <paramref name="timeout"/> passes, and returns its state then.
    /// </summary>
    Task<DocumentInfo?> WaitAsync(Guid documentId, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The parsed text of an ingested document, page by page, or null when it has none (yet).</summary>
    Task<DocumentText?> GetTextAsync(Guid documentId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the document, its chunks and its entries in both indexes. False when there was none.</summary>
    Task<bool> DeleteAsync(Guid documentId, CancellationToken cancellationToken = default);

    /// <summary>Ranked passages for a query, filtered before ranking, with citations.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Answers a question from the best passages of <paramref name="collections"/> (all collections when
    /// empty), with citations. When the evidence is below the threshold the answer says it does not know
    /// (<see cref="GroundedAnswer.Answered"/> is false) instead of guessing. Offline the answer is
    /// extractive (the sentences that answer); with a model, generated from the passages only.
    /// </summary>
    Task<GroundedAnswer> AnswerAsync(string question, IReadOnlyList<string> collections, AnswerOptions? options = null, CancellationToken cancellationToken = default);
}

/// <summary>A document to add: exactly one of <see cref="Content"/> (a file's bytes) or <see cref="Text"/>.</summary>
/// <param name="Collection">Lower-case name, letters, digits and dashes, e.g. <c>sops</c>.</param>
/// <param name="Title">Shown in citations.</param>
public sealed record NewDocument(string Collection, string Title)
{
    /// <summary>The file name, whose extension names the format (<c>.pdf</c>, <c>.docx</c>, <c>.txt</c>, <c>.md</c>).</summary>
    public string? FileName { get; init; }

    /// <summary>The file's bytes.</summary>
    public ReadOnlyMemory<byte>? Content { get; init; }

    /// <summary>Plain text or Markdown, instead of a file.</summary>
    public string? Text { get; init; }

    /// <summary>The site the document belongs to, when it belongs to one.</summary>
    public Guid? SiteId { get; init; }

    /// <summary>Where the document came from, e.g. <c>sop:SOP-2026-0002 v3</c>; shown with citations.</summary>
    public string? Source { get; init; }
}

/// <summary>What <see cref="IKnowledgeStore.AddAsync"/> stored.</summary>
/// <param name="DocumentId">The document's id.</param>
/// <param name="Status">Its status now.</param>
/// <param name="Duplicate">True when the same content was already stored and that document is returned.</param>
public sealed record DocumentReceipt(Guid DocumentId, DocumentStatus Status, bool Duplicate);

/// <summary>Where a document is in its ingestion.</summary>
public enum DocumentStatus
{
    /// <summary>Waiting to be parsed.</summary>
    Queued,

    /// <summary>Its text is being extracted.</summary>
    Parsing,

    /// <summary>Its chunks are being embedded.</summary>
    Embedding,

    /// <summary>Searchable.</summary>
    Indexed,

    /// <summary>Could not be ingested; <see cref="DocumentInfo.Error"/> says why.</summary>
    Failed,
}

/// <summary>A stored document.</summary>
public sealed record DocumentInfo(
    Guid DocumentId,
    string Collection,
    string Title,
    string? FileName,
    Guid? SiteId,
    DocumentStatus Status,
    double Progress,
    int? Pages,
    int? Chunks,
    string Sha256,
    DateTimeOffset CreatedAt)
{
    /// <summary>Why ingestion failed: starts with the failure class (<c>encrypted</c>, <c>corrupt</c>, <c>unsupported</c>, <c>too-large</c>, <c>timeout</c>).</summary>
    public string? Error { get; init; }

    /// <summary>Where the document came from, as given when it was added.</summary>
    public string? Source { get; init; }
}

/// <summary>A document's parsed text.</summary>
public sealed record DocumentText(Guid DocumentId, string Title, IReadOnlyList<DocumentPage> Pages);

/// <summary>One page (or, for formats without pages, one section) of parsed text.</summary>
/// <param name="Number">1-based page number.</param>
/// <param name="Text">The page's text in reading order.</param>
public sealed record DocumentPage(int Number, string Text);

/// <summary>How a search ranks.</summary>
public enum SearchMode
{
    /// <summary>Vector and keyword lists fused (the default).</summary>
    Hybrid,

    /// <summary>Embedding similarity only.</summary>
    Vector,

    /// <summary>BM25 only.</summary>
    Keyword,
}

/// <summary>How hybrid search fuses its two lists.</summary>
public enum SearchFusion
{
    /// <summary>Weighted sum of min-max-normalised scores (the tenant's weights; default 0.7 vector, 0.3 keyword).</summary>
    Weighted,

    /// <summary>Reciprocal-rank fusion.</summary>
    Rrf,
}

/// <summary>A search. Filters apply before ranking.</summary>
public sealed record SearchQuery(string Query)
{
    /// <summary>Results wanted, 1 to 100.</summary>
    public int K { get; init; } = 10;

    /// <summary>Hybrid, vector or keyword.</summary>
    public SearchMode Mode { get; init; } = SearchMode.Hybrid;

    /// <summary>How hybrid results are fused.</summary>
    public SearchFusion Fusion { get; init; } = SearchFusion.Weighted;

    /// <summary>Only these collections; all when empty.</summary>
    public IReadOnlyList<string> Collections { get; init; } = [];

    /// <summary>Only documents of this site.</summary>
    public Guid? SiteId { get; init; }

    /// <summary>Only documents added at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only documents added before this time.</summary>
    public DateTimeOffset? To { get; init; }
}

/// <summary>A ranked passage with its citation.</summary>
public sealed record SearchHit(
    Guid DocumentId,
    Guid ChunkId,
    string Collection,
    string Title,
    int? Page,
    int? PageEnd,
    string HeadingPath,
    string Snippet,
    string Text,
    double Score)
{
    /// <summary>The normalised vector score, when the vector side found the passage.</summary>
    public double? VectorScore { get; init; }

    /// <summary>The normalised keyword score, when the keyword side found the passage.</summary>
    public double? KeywordScore { get; init; }
}

/// <summary>Options for <see cref="IKnowledgeStore.AnswerAsync"/>.</summary>
public sealed record AnswerOptions
{
    /// <summary>Passages considered.</summary>
    public int Passages { get; init; } = 5;

    /// <summary>Below this evidence score (0 to 1) the store declines; null for the tenant's setting.</summary>
    public double? Threshold { get; init; }

    /// <summary>Only documents of this site.</summary>
    public Guid? SiteId { get; init; }
}

/// <summary>An answer and the passages it rests on.</summary>
/// <param name="Answered">False when the evidence was too weak: <see cref="Text"/> then says so.</param>
/// <param name="Text">The answer (Markdown), or the statement that the store does not know.</param>
/// <param name="Confidence">0 to 1: the evidence score of the best passage.</param>
/// <param name="Mode"><c>extractive</c> (offline) or <c>model</c>.</param>
/// <param name="Citations">The passages cited, best first.</param>
public sealed record GroundedAnswer(bool Answered, string Text, double Confidence, string Mode, IReadOnlyList<Citation> Citations);

/// <summary>A cited passage.</summary>
public sealed record Citation(Guid DocumentId, string Title, int? Page, string HeadingPath, string Snippet);

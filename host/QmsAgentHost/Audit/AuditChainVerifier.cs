using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Audit;

/// <summary>The result of checking a tenant's chain. Keep <see cref="HeadHash"/> elsewhere to detect a rewrite of the whole chain later.</summary>
public sealed record ChainVerification(bool Valid, long EventsChecked, long HeadSeq, string? HeadHash, ChainBreak? FirstBroken);

/// <param name="Seq">The first event that does not check out (for missing events, the first missing number).</param>
/// <param name="Reason"><c>hash mismatch</c>, <c>broken link</c> or <c>missing events k..m</c>.</param>
public sealed record ChainBreak(long Seq, string Reason);

/// <summary>
/// Recomputes a tenant's hash chain the way the insert trigger built it (0003): for each event in
/// order, <c>core.audit_event_digest(e)</c> must equal the stored hash, <c>prev_hash</c> must equal the
/// previous event's hash (64 zeros for the first), and the sequence must run 1..n without gaps.
/// Rows are streamed, so a long chain is never held in memory. Used by <c>GET /api/audit/verify</c>
/// and the <c>audit verify</c> command-line verb.
/// </summary>
public sealed class AuditChainVerifier
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Verifies the chain of <paramref name="session"/>'s tenant.</summary>
    public async Task<ChainVerification> VerifyAsync(TenantSession session, CancellationToken cancellationToken)
    {
        // The digest is compared in SQL so the canonical form is computed by exactly the function that made it.
        await using var command = session.CreateCommand("""
            SELECT e.seq, e.prev_hash, e.hash, core.audit_event_digest(e) = e.hash
            FROM core.audit_events e
            WHERE e.org_id = @org
            ORDER BY e.seq
            """);
        command.Parameters.AddWithValue("org", session.OrgId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        long expectedSeq = 1, eventsChecked = 0, headSeq = 0;
        string previousHash = GenesisHash;
        string? headHash = null;
        ChainBreak? firstBroken = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var (seq, prevHash, hash, digestMatches) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3));
            eventsChecked++;
            firstBroken ??= seq != expectedSeq ? SequenceBreak(seq, expectedSeq)
                : !digestMatches ? new ChainBreak(seq, "hash mismatch")
                : !string.Equals(prevHash, previousHash, StringComparison.Ordinal) ? new ChainBreak(seq, "broken link")
                : null;
            expectedSeq = seq + 1;
            previousHash = hash;
            (headSeq, headHash) = (seq, hash);
        }
        return new ChainVerification(firstBroken is null, eventsChecked, headSeq, headHash, firstBroken);
    }

    private static ChainBreak SequenceBreak(long seq, long expected) =>
        seq > expected
            ? new ChainBreak(expected, $"missing events {expected}..{seq - 1}")
            : new ChainBreak(seq, $"unexpected sequence number {seq} after {expected - 1}");
}

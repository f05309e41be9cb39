using QmsAgentHost.Sdk.Data;

namespace QmsAgentHost.Sdk.Signatures;

/// <summary>
/// Electronic signatures in the manner of 21 CFR Part 11: the signer proves again who they are
/// (password, or a fresh single-use signing token for API callers), states what the signature
/// means, and the signature is bound to the record's content hash at that moment.
/// </summary>
public interface ISignatureService
{
    /// <summary>
    /// Verifies the current user's credential and stores the signature in <paramref name="session"/>,
    /// with an audit event. Throws <see cref="SignatureRejectedException"/> when the credential is
    /// wrong; the caller's transaction should then roll back so nothing changes.
    /// </summary>
    /// <remarks>
    /// Sign before recording the plugin's own audit event in <paramref name="session"/>: a refused
    /// signature is audited in a transaction of its own, which would otherwise wait on the tenant's
    /// audit chain held by <paramref name="session"/>. The host refuses the other order with an
    /// <see cref="InvalidOperationException"/>.
    /// </remarks>
    Task<ElectronicSignature> SignAsync(TenantSession session, SignatureRequest request, CancellationToken cancellationToken = default);

    /// <summary>The signatures on a record, oldest first.</summary>
    Task<IReadOnlyList<ElectronicSignature>> ListAsync(TenantSession session, string entityType, string entityId, CancellationToken cancellationToken = default);
}

/// <summary>What a signature means, as required by 21 CFR 11.50.</summary>
public enum SignatureMeaning
{
    /// <summary>The signer approves the record.</summary>
    Approved,

    /// <summary>The signer has reviewed the record.</summary>
    Reviewed,

    /// <summary>The signer takes responsibility for the record.</summary>
    Responsible,
}

/// <summary>A request to sign a record.</summary>
/// <param name="EntityType">The kind of record, e.g. <c>ncm</c>.</param>
/// <param name="EntityId">The record's id or number.</param>
/// <param name="Record">The record's content as signed; its canonical JSON is hashed (SHA-256).</param>
/// <param name="Meaning">What the signature means.</param>
/// <param name="Password">The signer's password, re-entered now (console).</param>
/// <param name="SigningToken">A fresh signing token (API callers), instead of the password.</param>
public sealed record SignatureRequest(
    string EntityType,
    string EntityId,
    object Record,
    SignatureMeaning Meaning,
    string? Password = null,
    string? SigningToken = null)
{
    /// <summary>An optional comment from the signer.</summary>
    public string? Comment { get; init; }
}

/// <summary>A stored signature, as shown with the record.</summary>
public sealed record ElectronicSignature(
    Guid Id,
    string EntityType,
    string EntityId,
    Guid SignerId,
    string SignerName,
    SignatureMeaning Meaning,
    DateTimeOffset SignedAt,
    string RecordHash,
    string? Comment);

/// <summary>The signer's credential was wrong, expired or already used.</summary>
public sealed class SignatureRejectedException(string message) : Exception(message);

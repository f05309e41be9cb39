using System.ComponentModel;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Signatures;

namespace HelloPlugin;

/// <summary>Keeps a tenant's guest book: entries are written, listed with their signatures, and approved by signature.</summary>
public sealed class GuestBookFunctions(GuestBookRepository guestBook)
{
    [KernelFunction("sign_guest_book"), Description("Writes an entry in the tenant's guest book.")]
    [Permission("hello:write"), ChangesData]
    [Example("sign the guest book as Maria with 'great audit today'")]
    public Task<GuestBookEntry> SignGuestBookAsync(
        [Description("Who signs")] string name,
        [Description("The message, up to 500 characters")] string message,
        CancellationToken cancellationToken) =>
        guestBook.AddAsync(Arguments.RequireText(name, nameof(name), 100), Arguments.RequireText(message, nameof(message), 500), cancellationToken);

    [KernelFunction("list_guest_book"), Description("Lists the newest guest book entries, each with its approval and electronic signatures.")]
    [Permission("hello:read")]
    [Example("who signed the guest book?")]
    public Task<IReadOnlyList<GuestBookEntry>> ListGuestBookAsync(
        [Description("How many entries, 1 to 100")] int limit = 20,
        CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be between 1 and 100.");
        }
        return guestBook.ListAsync(limit, cancellationToken);
    }

    [KernelFunction("approve_guest_book_entry")]
    [Description("Signs a guest book entry electronically with a stated meaning; a signature meaning Approved also marks the entry approved. "
        + "The signer re-enters their password or gives a fresh signing token.")]
    [Permission("hello:approve"), ChangesData]
    [Example("approve Maria's guest book entry")]
    [Example("mark the guest book entry of Tom as reviewed")]
    public Task<GuestBookEntry> ApproveGuestBookEntryAsync(
        [Description("The id of the guest book entry")] Guid entryId,
        [Description("What the signature means: Approved, Reviewed or Responsible")] SignatureMeaning meaning,
        [Description("The signer's password, re-entered now; give this or signingToken")] string? password = null,
        [Description("A fresh single-use signing token (POST /api/signatures/tokens) instead of the password")] string? signingToken = null,
        [Description("An optional comment on the signature, up to 500 characters")] string? comment = null,
        CancellationToken cancellationToken = default)
    {
        if (comment is { Length: > 500 })
        {
            throw new ArgumentException("comment must be at most 500 characters.", nameof(comment));
        }
        return guestBook.ApproveAsync(entryId, meaning, new SignerCredential(password, signingToken), comment, cancellationToken);
    }
}

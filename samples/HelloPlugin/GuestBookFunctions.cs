using System.ComponentModel;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Tenancy;

namespace HelloPlugin;

public sealed record Greeting(string Text, string Organization);

/// <summary>Greets people and keeps a tenant's guest book.</summary>
public sealed class GuestBookFunctions(IOptions<HelloSettings> settings, ITenantContext tenant, GuestBookRepository guestBook)
{
    [KernelFunction("greet"), Description("Greets a person by name.")]
    [Permission("hello:greet")]
    [Example("say hello to Maria")]
    [Example("greet the new inspector Tom")]
    public Greeting Greet([Description("The name of the person to greet")] string name)
    {
        name = RequireText(name, nameof(name), 100);
        return new Greeting($"{settings.Value.Greeting}, {name}!", tenant.OrgId.ToString());
    }

    [KernelFunction("sign_guest_book"), Description("Writes an entry in the tenant's guest book.")]
    [Permission("hello:write"), ChangesData]
    [Example("sign the guest book as Maria with 'great audit today'")]
    public Task<GuestBookEntry> SignGuestBookAsync(
        [Description("Who signs")] string name,
        [Description("The message, up to 500 characters")] string message,
        CancellationToken cancellationToken) =>
        guestBook.AddAsync(RequireText(name, nameof(name), 100), RequireText(message, nameof(message), 500), cancellationToken);

    [KernelFunction("list_guest_book"), Description("Lists the newest guest book entries.")]
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

    private static string RequireText(string value, string name, int maxLength)
    {
        value = value?.Trim() ?? "";
        if (value.Length == 0 || value.Length > maxLength)
        {
            throw new ArgumentException($"{name} must be 1 to {maxLength} characters.", name);
        }
        return value;
    }
}

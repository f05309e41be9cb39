using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace QmsAgentHost.Tenancy;

/// <summary>A user as the tenant has them now, with the tenant's role-map edits and switched-off plugins.</summary>
internal sealed record UserState(
    Guid OrgId, Guid UserId, string Name, string Role, Guid? SiteId, Guid Stamp,
    IReadOnlyDictionary<string, Dictionary<string, bool>> Overrides, IReadOnlySet<string> DisabledPlugins);

/// <summary>An API key with its owner (null when the owner is disabled).</summary>
internal sealed record KeyState(
    Guid KeyId, Guid OrgId, byte[] SecretHash, string Role, bool Revoked, DateTimeOffset? ExpiresAt, UserState? Owner);

/// <summary>
/// Resolved callers, per node. Entries are dropped per organization when PostgreSQL notifies a change
/// (<see cref="CallerChangeListener"/>, migration 0012) and when this node makes one. While the
/// listener is not connected nothing is served from here, so a missed notification can never leave
/// a revoked key or a demoted user in force. A load that raced with a change is not stored: every
/// drop advances <see cref="Generation"/>, and a store names the generation its load began in.
/// </summary>
internal sealed class CallerCache(IOptions<TenancyOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(Guid OrgId, Guid UserId), (UserState State, DateTimeOffset Until)> _users = new();
    private readonly ConcurrentDictionary<Guid, (KeyState State, DateTimeOffset Until)> _keys = new();
    private long _generation;
    private volatile bool _listening;

    public long Generation => Interlocked.Read(ref _generation);

    private bool Enabled => _listening && options.Value.CallerCacheSeconds > 0;

    public bool TryGetUser(Guid orgId, Guid userId, out UserState state)
    {
        state = null!;
        if (Enabled && _users.TryGetValue((orgId, userId), out var entry) && entry.Until > clock.GetUtcNow())
        {
            state = entry.State;
            return true;
        }
        return false;
    }

    public bool TryGetKey(Guid keyId, out KeyState state)
    {
        state = null!;
        if (Enabled && _keys.TryGetValue(keyId, out var entry) && entry.Until > clock.GetUtcNow())
        {
            state = entry.State;
            return true;
        }
        return false;
    }

    public void Store(UserState state, long loadedInGeneration) =>
        StoreIfCurrent(loadedInGeneration, until => _users[(state.OrgId, state.UserId)] = (state, until));

    public void Store(KeyState state, long loadedInGeneration) =>
        StoreIfCurrent(loadedInGeneration, until => _keys[state.KeyId] = (state, until));

    /// <summary>Drops every cached caller of <paramref name="orgId"/>.</summary>
    public void Evict(Guid orgId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var key in _users.Keys.Where(k => k.OrgId == orgId))
        {
            _users.TryRemove(key, out _);
        }
        foreach (var (keyId, entry) in _keys.Where(k => k.Value.State.OrgId == orgId))
        {
            _keys.TryRemove(keyId, out _);
        }
    }

    /// <summary>Called by the listener: while it is not listening, the cache is bypassed and emptied.</summary>
    public void SetListening(bool listening)
    {
        _listening = listening;
        Interlocked.Increment(ref _generation);
        _users.Clear();
        _keys.Clear();
    }

    private void StoreIfCurrent(long loadedInGeneration, Action<DateTimeOffset> store)
    {
        if (Enabled && loadedInGeneration == Generation)
        {
            store(clock.GetUtcNow().AddSeconds(options.Value.CallerCacheSeconds));
            // An eviction that slipped in between the check and the store wins: undo it.
            if (loadedInGeneration != Generation)
            {
                _users.Clear();
                _keys.Clear();
            }
        }
    }
}

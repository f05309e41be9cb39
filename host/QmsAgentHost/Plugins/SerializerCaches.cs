using System.Reflection;
using System.Reflection.Metadata;
using System.Text.Json;

namespace QmsAgentHost.Plugins;

/// <summary>
/// System.Text.Json keeps process-wide caches of the types it has seen, which hold a plugin's types
/// and so keep its load context alive after unload (dotnet/runtime#65323, open). The serializer's
/// own hot-reload handler clears them; unloading a plugin is the same event for these caches.
/// The caches refill on the next use, so the cost is a little warm-up after an unload.
/// </summary>
internal static class SerializerCaches
{
    private static readonly MethodInfo[] ClearMethods = [.. typeof(JsonSerializer).Assembly
        .GetCustomAttributes<MetadataUpdateHandlerAttribute>()
        .Select(a => a.HandlerType.GetMethod("ClearCache", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
        .OfType<MethodInfo>()];

    public static void Clear()
    {
        foreach (var clear in ClearMethods)
        {
            clear.Invoke(null, [null]);
        }
    }
}

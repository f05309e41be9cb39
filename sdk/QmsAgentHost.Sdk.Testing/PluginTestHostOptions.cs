using Microsoft.Extensions.Logging;

namespace QmsAgentHost.Sdk.Testing;

/// <summary>Optional settings of a <see cref="PluginTestHost"/>.</summary>
public sealed class PluginTestHostOptions
{
    /// <summary>
    /// Extra configuration, as the host would read it from <c>appsettings.json</c>; above all the
    /// plugin's settings, e.g. <c>["PluginSettings:hello:Greeting"] = "Howdy"</c>. Settings are
    /// validated when the plugin loads, exactly as in the host: invalid ones make
    /// <see cref="PluginTestHost.StartAsync"/> throw <see cref="PluginRefusedException"/>.
    /// </summary>
    public IDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Where the test clock starts. When unset, the clock starts at
    /// <c>2000-01-01T00:00:00Z</c> (the default of <c>FakeTimeProvider</c>).
    /// </summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>
    /// Adds logging providers (none by default, so a test run stays quiet). Use it to see what the
    /// plugin and the host log, e.g. <c>logging =&gt; logging.AddConsole()</c> or a provider that
    /// writes to xUnit's test output.
    /// </summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}

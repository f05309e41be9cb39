namespace QmsAgentHost.Sdk.Plugins;

/// <summary>
/// The entry point of a plugin. The host finds the single non-abstract class that implements this
/// interface in the plugin's entry assembly, creates it with its parameterless constructor and calls
/// <see cref="Configure"/> once, while loading.
/// </summary>
/// <remarks>
/// Keep <see cref="Configure"/> declarative: register what the plugin contributes and return. It runs
/// before any tenant exists, so it must not touch the database or the network. An exception thrown
/// here marks the plugin as failed; the host goes on serving the other plugins.
/// </remarks>
public interface IQmsPlugin
{
    /// <summary>Declares everything the plugin contributes to the host.</summary>
    /// <param name="plugin">The builder that records the plugin's contributions.</param>
    void Configure(IPluginBuilder plugin);
}

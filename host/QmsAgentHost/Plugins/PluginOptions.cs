namespace QmsAgentHost.Plugins;

public sealed class PluginOptions
{
    public const string SectionName = "Plugins";

    /// <summary>The folder whose sub-folders are plugins (env <c>QMS_PLUGINS</c>). Relative paths are taken from the content root.</summary>
    public string Directory { get; set; } = "plugins";
}

using System.ComponentModel.DataAnnotations;

namespace HelloPlugin;

/// <summary>Bound from configuration section <c>PluginSettings:hello</c>.</summary>
public sealed class HelloSettings
{
    /// <summary>The word a greeting starts with.</summary>
    [Required, StringLength(40, MinimumLength = 1)]
    public string Greeting { get; set; } = "Hello";
}

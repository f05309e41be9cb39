using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using QmsAgentHost.Plugins;

namespace QmsAgentHost.Planning;

/// <summary>What the planner knows of a function: strings and metadata only, never the plugin's types.</summary>
public sealed record PlannableFunction(
    string PluginId, string Name, string Description, IReadOnlyList<string> Examples, IReadOnlyList<FunctionParameter> Parameters,
    bool ChangesData, string Permission)
{
    public string QualifiedName => $"{PluginId}.{Name}";

    internal string[] NameWords { get; } = [.. Name.Split('_', '-').Select(w => w.ToLowerInvariant())];

    internal VerbFamily? Verb { get; } = Lexicon.FamilyOfFunction(Name);

    /// <summary>The text embedded for the function besides its examples: its name in words and its description.</summary>
    internal string Profile => $"{string.Join(' ', NameWords)}: {Description}";

    public static PlannableFunction From(PluginFunction function) => new(
        function.PluginId, function.Name, function.Description, function.Examples, function.Parameters, function.ChangesData, function.Permission);
}

/// <summary>
/// Embeddings of the functions' profiles and examples, computed once per text per process: a plugin
/// loaded again with the same descriptions costs nothing, and only strings are kept.
/// </summary>
public sealed class FunctionEmbeddings(IEmbeddingGenerator<string, Embedding<float>> embedder)
{
    private readonly ConcurrentDictionary<string, float[]> _vectors = new(StringComparer.Ordinal);

    internal async Task<IReadOnlyDictionary<string, float[]>> ForAsync(IEnumerable<PlannableFunction> functions, CancellationToken cancellationToken)
    {
        var texts = functions.SelectMany(f => f.Examples.Append(f.Profile)).Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToList();
        var missing = texts.Where(t => !_vectors.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            var embeddings = await embedder.GenerateAsync(missing, cancellationToken: cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                _vectors[missing[i]] = embeddings[i].Vector.ToArray();
            }
        }
        return texts.ToDictionary(t => t, t => _vectors[t], StringComparer.Ordinal);
    }

    internal async Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken) =>
        (await embedder.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector.ToArray();
}

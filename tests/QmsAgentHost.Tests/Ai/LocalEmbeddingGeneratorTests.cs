using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using QmsAgentHost.Ai.Embeddings;

namespace QmsAgentHost.Tests.Ai;

/// <summary>The local MiniLM embedder, run for real (ONNX Runtime, no network).</summary>
public sealed class LocalEmbeddingGeneratorTests
{
    private static LocalEmbeddingGenerator Create(int batchSize = 8) =>
        new(Options.Create(new EmbeddingOptions { Threads = 1, BatchSize = batchSize }));

    [Fact]
    public async Task Matches_the_reference_similarity_of_all_MiniLM_L6_v2()
    {
        using var generator = Create();
        var embeddings = await generator.GenerateAsync(["A man is eating food.", "A man is eating a piece of bread."]);

        Assert.All(embeddings, e => Assert.Equal(384, e.Vector.Length));
        // The sentence-transformers model card's value for this pair.
        Assert.Equal(0.7553, TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span), 3);
    }

    [Fact]
    public async Task Returns_vectors_in_input_order_whatever_the_batching()
    {
        var texts = new[] { "weld porosity on the bracket", "x", "scrap the lot of castings with cracks in the flange", "label missing" };
        using var batched = Create(batchSize: 3);
        using var single = Create(batchSize: 1);

        var a = await batched.GenerateAsync(texts);
        var b = await single.GenerateAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(TensorPrimitives.CosineSimilarity(a[i].Vector.Span, b[i].Vector.Span) > 0.999, $"text {i} moved");
        }
    }

    [Fact]
    public async Task Accents_dashes_and_tabs_do_not_lose_words()
    {
        using var generator = Create();
        var embeddings = await generator.GenerateAsync(["café surface\tscratch – deburr", "cafe surface scratch - deburr"]);

        Assert.True(TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span) > 0.999);
    }

    [Fact]
    public async Task Empty_text_is_refused_with_its_position()
    {
        using var generator = Create();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["fine", " \t\n "]));

        Assert.Contains("Text 1", error.Message);
    }

    [Fact]
    public void Describes_its_model()
    {
        using var generator = Create();

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.Equal("all-MiniLM-L6-v2", metadata?.DefaultModelId);
        Assert.Equal(384, metadata?.DefaultModelDimensions);
    }

    [Theory]
    [InlineData("Crème brûlée", "Creme brulee")]
    [InlineData("5 µm\u00A0burr", "5 um burr")]
    [InlineData("line one\nline two\r\n\tthree", "line one line two three")]
    [InlineData("“quoted” ‘single’ — dash − minus", "\"quoted\" 'single' - dash - minus")]
    [InlineData("  padded  ", "padded")]
    public void Normalizes_text_for_the_tokenizer(string input, string expected) =>
        Assert.Equal(expected, EmbeddingText.Normalize(input));

    [Fact]
    public void Normalization_bounds_the_length() =>
        Assert.Equal(10, EmbeddingText.Normalize(new string('a', 50), maxCharacters: 10).Length);
}

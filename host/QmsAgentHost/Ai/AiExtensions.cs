using Microsoft.Extensions.AI;
using QmsAgentHost.Ai.Embeddings;
using QmsAgentHost.Sdk.Ai;

namespace QmsAgentHost.Ai;

public static class AiExtensions
{
    /// <summary>The embedder (local MiniLM by default) and the assistant plugins ask for generation.</summary>
    public static IHostApplicationBuilder AddAi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, LocalEmbeddingGenerator>();
        builder.Services.AddScoped<IAiAssistant, OfflineAiAssistant>();
        return builder;
    }
}

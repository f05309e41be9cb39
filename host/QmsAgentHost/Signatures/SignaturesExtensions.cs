using QmsAgentHost.Sdk.Signatures;

namespace QmsAgentHost.Signatures;

public static class SignaturesExtensions
{
    /// <summary>Electronic signatures and single-use signing tokens (ADR 0005).</summary>
    public static IHostApplicationBuilder AddSignatures(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ISignatureService, SignatureService>();
        builder.Services.AddScoped<SigningTokens>();
        return builder;
    }
}

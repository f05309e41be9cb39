namespace QmsAgentHost.Api;

/// <summary>Limits on what a request may carry, and the proxies whose forwarded headers the host believes.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The largest JSON body an endpoint reads (413 beyond it). Uploads declare their own content types and limits.</summary>
    public int MaxJsonBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How deeply JSON may nest (400 beyond it).</summary>
    public int MaxJsonDepth { get; set; } = 32;
}

/// <summary>
/// Reverse proxies in front of the host (<c>ForwardedHeaders</c> section). Only requests from these
/// addresses may set X-Forwarded-For and X-Forwarded-Proto; without any, only a proxy on the same
/// machine (loopback) is believed.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies deep to read the headers (one load balancer: 1).</summary>
    public int ForwardLimit { get; set; } = 1;
}

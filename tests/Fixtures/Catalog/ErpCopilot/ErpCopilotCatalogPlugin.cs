using System.ComponentModel;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Fixtures.Catalog.ErpCopilot;

public sealed class ErpCopilotCatalogPlugin : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddFunctions<ErpCopilotFunctions>();
}

/// <summary>The ERP-Copilot plugin's functions as issue 23 fixes them.</summary>
public sealed class ErpCopilotFunctions
{
    [KernelFunction("ask_erp")]
    [Description("Answers a question about using the company's ERP system (how to post, where to find a screen, what an error means) from the ERP manuals, with page citations.")]
    [Permission("erp:ask")]
    [Example("how do I book a goods receipt against a purchase order in the ERP?")]
    [Example("where in the ERP can I change a work order's quantity?")]
    [Example("what does error 'posting period not open' mean?")]
    [Example("ERP: how to reverse an inventory transfer")]
    public CatalogCall AskErp(
        [Description("The question about the ERP")] string question) =>
        CatalogCall.Of("ask_erp", new { question });

    [KernelFunction("list_documentation_gaps")]
    [Description("Groups the ERP questions that went unanswered, had low confidence or were rated badly into topics, with counts and example questions: where the manuals fall short.")]
    [Permission("erp:analytics")]
    [Example("where are the ERP manuals missing information?")]
    [Example("top 5 documentation gaps since June")]
    [Example("what ERP questions could we not answer last month?")]
    public CatalogCall ListDocumentationGaps(
        [Description("Questions asked on or after this date")] DateOnly? from = null,
        [Description("Questions asked on or before this date")] DateOnly? to = null,
        [Description("How many topics to return")] int? top = null) =>
        CatalogCall.Of("list_documentation_gaps", new { from, to, top });

    [KernelFunction("get_erp_usage_stats")]
    [Description("Statistics of ERP questions: questions per day, answer rate, average confidence, top topics and feedback.")]
    [Permission("erp:analytics")]
    [Example("ERP copilot usage statistics for this month")]
    [Example("how many ERP questions were asked last week and how many were answered?")]
    [Example("answer rate of the ERP assistant since 2026-01-01")]
    public CatalogCall GetErpUsageStats(
        [Description("From this date")] DateOnly? from = null,
        [Description("Up to this date")] DateOnly? to = null) =>
        CatalogCall.Of("get_erp_usage_stats", new { from, to });
}

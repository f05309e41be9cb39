using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Fixtures.Catalog.Quote;

public sealed class QuoteCatalogPlugin : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddFunctions<QuoteFunctions>();
}

/// <summary>One line of a quote to create: a part, how many, and a price when it is already known.</summary>
public sealed record QuoteLineInput(
    [property: Description("The part number")] string PartNumber,
    [property: Description("How many pieces")] int Quantity,
    [property: Description("The unit price, when known; recommended otherwise")] decimal? UnitPrice = null);

/// <summary>The Quote plugin's functions as issue 22 fixes them.</summary>
public sealed class QuoteFunctions
{
    [KernelFunction("parse_quote_request")]
    [Description("Reads a request for quotation (an RFQ e-mail or document text) and extracts the customer, the parts with material, quantity and tolerances, and the due date. Stores nothing.")]
    [Permission("quotes:view")]
    [Example("parse this RFQ: Dear sales, please quote 500 pcs of bracket 7710-S in 1.4301 by end of month. Regards, Hoffmann GmbH")]
    [Example("extract the parts and quantities from this customer e-mail: ...")]
    [Example("what does this request for quotation ask for?")]
    public CatalogCall ParseQuoteRequest(
        [Description("The text of the RFQ e-mail or document")] string text) =>
        CatalogCall.Of("parse_quote_request", new { text });

    [KernelFunction("match_parts")]
    [Description("Finds catalogue parts matching a part number or a description (material, dimensions, finish), best match first.")]
    [Permission("quotes:view")]
    [Example("which of our parts matches 'stainless bracket 2 mm, 40x60'?")]
    [Example("look up part 7710-S in the catalogue")]
    [Example("find catalogue items like a brass bushing 12 mm bore")]
    public CatalogCall MatchParts(
        [Description("A description of the part, when there is no part number")] string? description = null,
        [Description("The part number to look up")] string? partNumber = null,
        [Description("How many matches to return")] int? top = null) =>
        CatalogCall.Of("match_parts", new { description, partNumber, top });

    [KernelFunction("recommend_price")]
    [Description("Recommends a unit price for a part and quantity from comparable past quote lines (quantity breaks, material), with a confidence and the comparables used.")]
    [Permission("quotes:view")]
    [Example("what should we charge for 250 pcs of 7710-S?")]
    [Example("price recommendation for part HX-200, quantity 1000, aluminium 6061")]
    [Example("how much per piece for 40 of the 4471-A housings?")]
    public CatalogCall RecommendPrice(
        [Description("The part number")] string partNumber,
        [Description("How many pieces")] int quantity,
        [Description("The material, when it differs from the catalogue")] string? material = null) =>
        CatalogCall.Of("recommend_price", new { partNumber, quantity, material });

    [KernelFunction("create_quote")]
    [Description("Creates a draft quote for a customer with one or more lines (part number, quantity, unit price when known; prices are recommended for lines without one).")]
    [Permission("quotes:create"), ChangesData]
    [Example("create a quote for Hoffmann GmbH: 500 x 7710-S and 200 x 7711-S")]
    [Example("draft a quote for Nordwind AG, 1000 pcs HX-200 at 3.80")]
    [Example("make an offer to Baltic Marine for 60 pieces of 4471-A")]
    public CatalogCall CreateQuote(
        [Description("The customer's name")] string customer,
        [Description("The quote lines: part number, quantity and optionally unit price")] QuoteLineInput[] lines,
        [Description("The original RFQ text, kept with the quote")] string? rfqText = null) =>
        CatalogCall.Of("create_quote", new { customer, lines, rfqText }, "Q-2026-0001");

    [KernelFunction("submit_quote_for_approval")]
    [Description("Submits a draft quote for approval; quotes below the tenant's threshold are approved by policy.")]
    [Permission("quotes:create"), ChangesData]
    [Example("submit Q-2026-0031 for approval")]
    [Example("Q-2026-0007 is ready, send it to the manager")]
    [Example("request approval of quote Q-2026-0044")]
    public CatalogCall SubmitQuoteForApproval(
        [Description("The quote number, e.g. Q-2026-0031")] string quoteId) =>
        CatalogCall.Of("submit_quote_for_approval", new { quoteId });

    [KernelFunction("approve_quote")]
    [Description("Approves a quote waiting for approval, with an optional comment. Needs the approver's electronic signature; the creator cannot approve their own quote.")]
    [Permission("quotes:approve"), ChangesData]
    [Example("approve Q-2026-0031")]
    [Example("ok quote Q-2026-0007, margin is fine")]
    [Example("give approval to Q-2026-0044 with comment 'valid 30 days'")]
    public CatalogCall ApproveQuote(
        [Description("The quote number, e.g. Q-2026-0031")] string quoteId,
        [Description("A comment on the approval")] string? comment = null,
        [Description("The approver's password, re-entered now (or give signingToken)")] string? password = null,
        [Description("A fresh single-use signing token instead of the password")] string? signingToken = null) =>
        CatalogCall.Of("approve_quote", new { quoteId, comment, signed = password is not null || signingToken is not null });

    [KernelFunction("get_quote")]
    [Description("Shows one quote with its customer, lines, total, status and approval.")]
    [Permission("quotes:view")]
    [Example("show quote Q-2026-0031")]
    [Example("what's in Q-2026-0007?")]
    [Example("total of Q-2026-0044?")]
    public CatalogCall GetQuote(
        [Description("The quote number, e.g. Q-2026-0031")] string quoteId) =>
        CatalogCall.Of("get_quote", new { quoteId });

    [KernelFunction("list_quotes")]
    [Description("Lists quotes, filtered by status (draft, pending-approval, approved, rejected, sent), customer and date.")]
    [Permission("quotes:view")]
    [Example("list quotes waiting for approval")]
    [Example("all quotes for Hoffmann GmbH this year")]
    [Example("which quotes did we send in March?")]
    public CatalogCall ListQuotes(
        [Description("Only quotes in this status: draft, pending-approval, approved, rejected or sent"),
         AllowedValues("draft", "pending-approval", "approved", "rejected", "sent")] string? status = null,
        [Description("Only quotes for this customer")] string? customer = null,
        [Description("Created on or after this date")] DateOnly? from = null,
        [Description("Created on or before this date")] DateOnly? to = null) =>
        CatalogCall.Of("list_quotes", new { status, customer, from, to });
}

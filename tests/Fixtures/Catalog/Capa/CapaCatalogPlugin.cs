using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Fixtures.Catalog.Capa;

public sealed class CapaCatalogPlugin : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddFunctions<CapaFunctions>();
}

/// <summary>The CAPA plugin's functions as issue 21 fixes them.</summary>
public sealed class CapaFunctions
{
    [KernelFunction("create_capa")]
    [Description("Opens a corrective and preventive action (CAPA) with a title, the problem statement, the NCMs it comes from, an owner and a due date.")]
    [Permission("capa:create"), ChangesData]
    [Example("open a CAPA for the repeated burr problems on NCM-2026-0042 and NCM-2026-0051")]
    [Example("start a corrective action 'Supplier coating adhesion', owner jan.novak@acme.example, due end of next month")]
    [Example("we need a CAPA for the recurring label mix-ups at packing")]
    public CatalogCall CreateCapa(
        [Description("A short title for the CAPA")] string title,
        [Description("The problem statement: what happened, where, how often")] string? problemStatement = null,
        [Description("The NCM numbers that led to this CAPA, e.g. NCM-2026-0042")] string[]? sourceNcmIds = null,
        [Description("The owner's e-mail address")] string? ownerEmail = null,
        [Description("When the CAPA must be closed")] DateOnly? dueDate = null) =>
        CatalogCall.Of("create_capa", new { title, problemStatement, sourceNcmIds, ownerEmail, dueDate }, "CAPA-2026-0001");

    [KernelFunction("suggest_corrective_actions")]
    [Description("Suggests corrective actions for an NCM, a CAPA or a described problem, from closed CAPAs of similar problems and from SOPs and standards, each with its source.")]
    [Permission("capa:view")]
    [Example("what corrective actions would fix NCM-2026-0042?")]
    [Example("ideas to stop the recurring porosity in CAPA-2026-0008")]
    [Example("how did we fix paint runs on the powder line in the past?")]
    public CatalogCall SuggestCorrectiveActions(
        [Description("An NCM number to find actions for")] string? ncmId = null,
        [Description("A CAPA number to find actions for")] string? capaId = null,
        [Description("The problem in words, when there is no NCM or CAPA number")] string? problem = null) =>
        CatalogCall.Of("suggest_corrective_actions", new { ncmId, capaId, problem });

    [KernelFunction("add_root_cause")]
    [Description("Records the root cause of a CAPA, found with five whys, a fishbone diagram or another method, with the chain of whys when there is one.")]
    [Permission("capa:update"), ChangesData]
    [Example("root cause for CAPA-2026-0008: worn clamping jaws, found with 5 whys")]
    [Example("add a fishbone root cause to CAPA-2026-0011: operator training gap on the new press")]
    [Example("CAPA-2026-0003 root cause is the supplier changed the resin without notice")]
    public CatalogCall AddRootCause(
        [Description("The CAPA number, e.g. CAPA-2026-0008")] string capaId,
        [Description("How the cause was found: five-whys, fishbone or other"), AllowedValues("five-whys", "fishbone", "other")] string method,
        [Description("The root cause in one or two sentences")] string rootCause,
        [Description("The whys, in order, for a five-whys analysis")] string[]? whys = null) =>
        CatalogCall.Of("add_root_cause", new { capaId, method, rootCause, whys });

    [KernelFunction("add_action")]
    [Description("Adds a corrective, preventive or containment action to a CAPA, with an owner and a due date.")]
    [Permission("capa:update"), ChangesData]
    [Example("add a containment action to CAPA-2026-0008: sort all stock in the warehouse by Friday")]
    [Example("CAPA-2026-0011 needs a preventive action, update the press setup sheet, owner lea.meyer@acme.example")]
    [Example("corrective action for CAPA-2026-0003: requalify the resin supplier, due 2026-09-30")]
    public CatalogCall AddAction(
        [Description("The CAPA number, e.g. CAPA-2026-0008")] string capaId,
        [Description("What is to be done")] string description,
        [Description("The kind of action: corrective, preventive or containment"), AllowedValues("corrective", "preventive", "containment")] string type,
        [Description("The action owner's e-mail address")] string? ownerEmail = null,
        [Description("When the action is due")] DateOnly? dueDate = null) =>
        CatalogCall.Of("add_action", new { capaId, description, type, ownerEmail, dueDate });

    [KernelFunction("verify_effectiveness")]
    [Description("Records whether the actions of a CAPA were effective, with the evidence. Needs the verifier's electronic signature: the password re-entered or a signing token.")]
    [Permission("capa:verify"), ChangesData]
    [Example("CAPA-2026-0008 was effective, no repeat in 90 days of production")]
    [Example("verify CAPA-2026-0011 as not effective, two more rejects this week")]
    [Example("effectiveness check done for CAPA-2026-0003: audit of 500 parts found no defects")]
    public CatalogCall VerifyEffectiveness(
        [Description("The CAPA number, e.g. CAPA-2026-0008")] string capaId,
        [Description("True when the actions worked, false when the problem came back")] bool effective,
        [Description("The evidence the verdict rests on")] string evidence,
        [Description("The verifier's password, re-entered now (or give signingToken)")] string? password = null,
        [Description("A fresh single-use signing token instead of the password")] string? signingToken = null) =>
        CatalogCall.Of("verify_effectiveness", new { capaId, effective, evidence, signed = password is not null || signingToken is not null });

    [KernelFunction("list_capas")]
    [Description("Lists CAPAs, filtered by status (open, investigating, implementing, verifying, closed), by whether they are overdue and by owner.")]
    [Permission("capa:view")]
    [Example("which CAPAs are overdue?")]
    [Example("list the CAPAs in verification")]
    [Example("CAPAs owned by lea.meyer@acme.example")]
    public CatalogCall ListCapas(
        [Description("Only CAPAs in this status: open, investigating, implementing, verifying or closed"),
         AllowedValues("open", "investigating", "implementing", "verifying", "closed")] string? status = null,
        [Description("True for only overdue CAPAs")] bool? overdue = null,
        [Description("Only CAPAs owned by this e-mail address")] string? ownerEmail = null) =>
        CatalogCall.Of("list_capas", new { status, overdue, ownerEmail });

    [KernelFunction("get_capa")]
    [Description("Shows one CAPA with its problem statement, root causes, actions, verification and status.")]
    [Permission("capa:view")]
    [Example("show CAPA-2026-0008")]
    [Example("where are we with CAPA-2026-0011?")]
    [Example("details of corrective action CAPA-2025-0090")]
    public CatalogCall GetCapa(
        [Description("The CAPA number, e.g. CAPA-2026-0008")] string capaId) =>
        CatalogCall.Of("get_capa", new { capaId });
}

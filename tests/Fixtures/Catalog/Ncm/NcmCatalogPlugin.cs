using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Fixtures.Catalog.Ncm;

public sealed class NcmCatalogPlugin : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddFunctions<NcmFunctions>();
}

/// <summary>The NCM plugin's functions as issue 21 fixes them.</summary>
public sealed class NcmFunctions
{
    [KernelFunction("create_ncm")]
    [Description("Logs a new nonconformance report (NCM) for defective or suspect material found on the shop floor, at incoming inspection or at a customer. "
        + "Classifies the defect when no category is given and links similar past NCMs.")]
    [Permission("ncm:create"), ChangesData]
    [Example("log a nonconformance: 12 housings from lot 2231 have cracked bosses, part 4471-A")]
    [Example("raise an NCM for scratched anodizing on part HX-200, 40 pcs affected")]
    [Example("open a new nonconformance report, wrong thread pitch on the M8 inserts")]
    [Example("record a defect: weld porosity on frame 7781, severity major")]
    public CatalogCall CreateNcm(
        [Description("What is wrong, in the reporter's words")] string description,
        [Description("The part number of the affected item, e.g. 4471-A")] string? partNumber = null,
        [Description("How many pieces are affected")] int? quantity = null,
        [Description("The lot or batch number")] string? lotNumber = null,
        [Description("The site or plant where it was found")] string? site = null,
        [Description("How serious: minor, major or critical"), AllowedValues("minor", "major", "critical")] string? severity = null,
        [Description("The defect category, e.g. dimensional, weld, surface/cosmetic; classified automatically when left out")] string? category = null) =>
        CatalogCall.Of("create_ncm", new { description, partNumber, quantity, lotNumber, site, severity, category }, "NCM-2026-0001");

    [KernelFunction("classify_defect")]
    [Description("Suggests the defect category and severity for a defect description, with a confidence and the words that support it. Stores nothing.")]
    [Permission("ncm:view")]
    [Example("what defect category is 'paint blistering on the door panel'?")]
    [Example("classify this defect: bore diameter 0.05 mm over tolerance")]
    [Example("is a missing label a documentation or a packaging problem?")]
    public CatalogCall ClassifyDefect(
        [Description("The defect description to classify")] string description) =>
        CatalogCall.Of("classify_defect", new { description });

    [KernelFunction("find_similar_ncms")]
    [Description("Finds past nonconformances similar to a given NCM or to a defect description, most similar first.")]
    [Permission("ncm:view")]
    [Example("have we seen this before? burrs on the flange of the pump housing")]
    [Example("find NCMs like NCM-2026-0042")]
    [Example("similar past nonconformances for porosity in aluminium castings")]
    public CatalogCall FindSimilarNcms(
        [Description("An NCM number such as NCM-2026-0042 to compare with")] string? ncmId = null,
        [Description("A defect description to compare with, when no NCM number is given")] string? description = null,
        [Description("How many similar NCMs to return (default 5)")] int top = 5) =>
        CatalogCall.Of("find_similar_ncms", new { ncmId, description, top });

    [KernelFunction("get_ncm")]
    [Description("Shows one nonconformance report with its details, status, disposition, history and linked CAPAs.")]
    [Permission("ncm:view")]
    [Example("show me NCM-2026-0042")]
    [Example("open nonconformance NCM-2026-0107")]
    [Example("what is the status of NCM-2025-0311?")]
    public CatalogCall GetNcm(
        [Description("The NCM number, e.g. NCM-2026-0042")] string ncmId) =>
        CatalogCall.Of("get_ncm", new { ncmId });

    [KernelFunction("list_ncms")]
    [Description("Lists nonconformance reports, filtered by status, part number, site, severity and the date they were raised.")]
    [Permission("ncm:view")]
    [Example("list open NCMs")]
    [Example("which critical nonconformances did we have last month?")]
    [Example("all NCMs for part 4471-A since January")]
    [Example("show the NCMs of the Leipzig plant that are under investigation")]
    public CatalogCall ListNcms(
        [Description("Only NCMs in this status: open, under-investigation, dispositioned or closed"),
         AllowedValues("open", "under-investigation", "dispositioned", "closed")] string? status = null,
        [Description("Only NCMs for this part number")] string? partNumber = null,
        [Description("Only NCMs of this site")] string? site = null,
        [Description("Only NCMs of this severity: minor, major or critical"), AllowedValues("minor", "major", "critical")] string? severity = null,
        [Description("Raised on or after this date")] DateOnly? from = null,
        [Description("Raised on or before this date")] DateOnly? to = null) =>
        CatalogCall.Of("list_ncms", new { status, partNumber, site, severity, from, to });

    [KernelFunction("disposition_ncm")]
    [Description("Decides what happens to the nonconforming material of an NCM (use-as-is, rework, repair, scrap or return-to-supplier) with the reason. "
        + "Needs the approver's electronic signature: the password re-entered or a signing token.")]
    [Permission("ncm:disposition"), ChangesData]
    [Example("disposition NCM-2026-0042 as scrap, the cracks go through the wall")]
    [Example("NCM-2026-0017 can be used as is, the deviation is cosmetic only")]
    [Example("send the parts of NCM-2026-0090 back to the supplier, wrong alloy")]
    [Example("rework NCM-2026-0051: re-machine the bore to size")]
    public CatalogCall DispositionNcm(
        [Description("The NCM number, e.g. NCM-2026-0042")] string ncmId,
        [Description("The decision: use-as-is, rework, repair, scrap or return-to-supplier"),
         AllowedValues("use-as-is", "rework", "repair", "scrap", "return-to-supplier")] string disposition,
        [Description("Why this disposition was chosen")] string reason,
        [Description("The approver's password, re-entered now (or give signingToken)")] string? password = null,
        [Description("A fresh single-use signing token instead of the password")] string? signingToken = null) =>
        CatalogCall.Of("disposition_ncm", new { ncmId, disposition, reason, signed = password is not null || signingToken is not null });

    [KernelFunction("update_ncm_status")]
    [Description("Moves an NCM along its workflow: open, under-investigation, dispositioned, closed, with an optional comment.")]
    [Permission("ncm:update"), ChangesData]
    [Example("close NCM-2026-0042")]
    [Example("set NCM-2026-0077 to under investigation, supplier contacted")]
    [Example("reopen NCM-2026-0012")]
    public CatalogCall UpdateNcmStatus(
        [Description("The NCM number, e.g. NCM-2026-0042")] string ncmId,
        [Description("The new status: open, under-investigation, dispositioned or closed"),
         AllowedValues("open", "under-investigation", "dispositioned", "closed")] string status,
        [Description("Why the status changes")] string? comment = null) =>
        CatalogCall.Of("update_ncm_status", new { ncmId, status, comment });
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Fixtures.Catalog.Audit;

public sealed class AuditCatalogPlugin : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddFunctions<AuditFunctions>();
}

/// <summary>The Audit plugin's functions as issue 22 fixes them.</summary>
public sealed class AuditFunctions
{
    [KernelFunction("schedule_audit")]
    [Description("Plans an internal, process or supplier audit against a standard (e.g. ISO 9001:2015, IATF 16949, 21 CFR 820) for a date, site and lead auditor.")]
    [Permission("audit:create"), ChangesData]
    [Example("schedule an ISO 9001:2015 audit of purchasing on 2026-10-14")]
    [Example("plan a IATF 16949 process audit at the Brno site next Thursday, lead auditor petra.kral@acme.example")]
    [Example("book a 21 CFR 820 audit 'Design controls' for the 3rd of November")]
    public CatalogCall ScheduleAudit(
        [Description("What is audited: the title and scope")] string title,
        [Description("The standard audited against, e.g. ISO 9001:2015")] string standard,
        [Description("The planned date of the audit")] DateOnly plannedDate,
        [Description("The site audited")] string? site = null,
        [Description("The lead auditor's e-mail address")] string? auditorEmail = null) =>
        CatalogCall.Of("schedule_audit", new { title, standard, plannedDate, site, auditorEmail }, "AUD-2026-0001");

    [KernelFunction("generate_checklist")]
    [Description("Builds an audit checklist of questions from the standard's clauses, each citing its source passage: for a scheduled audit (stored with it) or for a standard and scope.")]
    [Permission("audit:create"), ChangesData]
    [Example("generate the checklist for AUD-2026-0004")]
    [Example("make me audit questions for ISO 9001 clause 8.4, control of external providers")]
    [Example("checklist for a 21 CFR 820 audit of complaint handling")]
    public CatalogCall GenerateChecklist(
        [Description("The audit number, e.g. AUD-2026-0004; the checklist is stored with it")] string? auditId = null,
        [Description("The standard, when there is no audit number, e.g. ISO 9001:2015")] string? standard = null,
        [Description("The scope or topic, e.g. calibration or clause 7.1.5")] string? scope = null) =>
        CatalogCall.Of("generate_checklist", new { auditId, standard, scope });

    [KernelFunction("list_audits")]
    [Description("Lists audits, filtered by status (planned, in-progress, submitted, approved), site and planned date.")]
    [Permission("audit:view")]
    [Example("which audits are planned for this quarter?")]
    [Example("list audits at the Brno site")]
    [Example("audits waiting for approval")]
    public CatalogCall ListAudits(
        [Description("Only audits in this status: planned, in-progress, submitted or approved"),
         AllowedValues("planned", "in-progress", "submitted", "approved")] string? status = null,
        [Description("Only audits of this site")] string? site = null,
        [Description("Planned on or after this date")] DateOnly? from = null,
        [Description("Planned on or before this date")] DateOnly? to = null) =>
        CatalogCall.Of("list_audits", new { status, site, from, to });

    [KernelFunction("record_finding")]
    [Description("Records a finding of an audit: a major or minor nonconformity, an observation or an opportunity for improvement, with the clause and the evidence.")]
    [Permission("audit:execute"), ChangesData]
    [Example("AUD-2026-0004 finding: minor nc, calibration stickers missing on two gauges, clause 7.1.5")]
    [Example("add an observation to AUD-2026-0002, training records are kept in two places")]
    [Example("major nonconformity in AUD-2026-0006: no supplier evaluation for the heat treater")]
    public CatalogCall RecordFinding(
        [Description("The audit number, e.g. AUD-2026-0004")] string auditId,
        [Description("The kind of finding: major-nc, minor-nc, observation or opportunity"),
         AllowedValues("major-nc", "minor-nc", "observation", "opportunity")] string type,
        [Description("What was found")] string description,
        [Description("The clause of the standard, e.g. 7.1.5")] string? clause = null,
        [Description("The objective evidence seen")] string? evidence = null) =>
        CatalogCall.Of("record_finding", new { auditId, type, description, clause, evidence });

    [KernelFunction("get_audit_report")]
    [Description("Produces the report of an audit (scope, checklist results, findings) as markdown, PDF or DOCX.")]
    [Permission("audit:view")]
    [Example("show the report of AUD-2026-0004")]
    [Example("export the audit report AUD-2026-0002 as pdf")]
    [Example("give me AUD-2026-0006 as a word document")]
    public CatalogCall GetAuditReport(
        [Description("The audit number, e.g. AUD-2026-0004")] string auditId,
        [Description("The format: markdown, pdf or docx (default markdown)"), AllowedValues("markdown", "pdf", "docx")] string? format = null) =>
        CatalogCall.Of("get_audit_report", new { auditId, format });

    [KernelFunction("submit_audit_report")]
    [Description("Submits the report of a finished audit for approval; the audit moves from in-progress to submitted.")]
    [Permission("audit:submit"), ChangesData]
    [Example("submit the report for AUD-2026-0004")]
    [Example("AUD-2026-0002 is done, send the report for approval")]
    [Example("hand in audit report AUD-2026-0006")]
    public CatalogCall SubmitAuditReport(
        [Description("The audit number, e.g. AUD-2026-0004")] string auditId) =>
        CatalogCall.Of("submit_audit_report", new { auditId });

    [KernelFunction("approve_audit_report")]
    [Description("Approves a submitted audit report with an optional comment. Needs the approver's electronic signature: the password re-entered or a signing token.")]
    [Permission("audit:approve"), ChangesData]
    [Example("approve the audit report AUD-2026-0004")]
    [Example("sign off AUD-2026-0002, findings are acceptable")]
    [Example("release report AUD-2026-0006 with comment 'follow up in Q3'")]
    public CatalogCall ApproveAuditReport(
        [Description("The audit number, e.g. AUD-2026-0004")] string auditId,
        [Description("A comment on the approval")] string? comment = null,
        [Description("The approver's password, re-entered now (or give signingToken)")] string? password = null,
        [Description("A fresh single-use signing token instead of the password")] string? signingToken = null) =>
        CatalogCall.Of("approve_audit_report", new { auditId, comment, signed = password is not null || signingToken is not null });
}

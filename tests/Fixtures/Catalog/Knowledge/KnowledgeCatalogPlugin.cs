using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.SemanticKernel;
using QmsAgentHost.Sdk.Functions;
using QmsAgentHost.Sdk.Plugins;

namespace QmsAgentHost.Fixtures.Catalog.Knowledge;

public sealed class KnowledgeCatalogPlugin : IQmsPlugin
{
    public void Configure(IPluginBuilder plugin) => plugin.AddFunctions<KnowledgeFunctions>();
}

/// <summary>The Knowledge plugin's functions as issue 23 fixes them.</summary>
public sealed class KnowledgeFunctions
{
    [KernelFunction("add_interview_transcript")]
    [Description("Stores the transcript of an interview with an experienced employee (the expert's name, the topic, and the text or an uploaded document) so it can become an SOP.")]
    [Permission("knowledge:create"), ChangesData]
    [Example("add the interview with Karl Berger about setting up the CNC lathe")]
    [Example("save this transcript, expert Ana Lopes, topic powder coat line start-up: ...")]
    [Example("new expert interview: Tomas Dvorak on incoming inspection of castings")]
    public CatalogCall AddInterviewTranscript(
        [Description("The expert's name")] string expertName,
        [Description("What the interview is about")] string topic,
        [Description("The transcript text")] string? transcript = null,
        [Description("The id of an uploaded document holding the transcript")] string? documentId = null) =>
        CatalogCall.Of("add_interview_transcript", new { expertName, topic, transcript, documentId }, "INT-2026-0001");

    [KernelFunction("generate_sop")]
    [Description("Drafts a standard operating procedure (SOP) from an interview transcript: purpose, scope, safety notes, tools and numbered steps, each linked to the transcript lines it came from.")]
    [Permission("knowledge:create"), ChangesData]
    [Example("turn INT-2026-0005 into an SOP")]
    [Example("draft a work instruction from interview INT-2026-0002 titled 'Lathe setup'")]
    [Example("write the SOP for INT-2026-0009")]
    public CatalogCall GenerateSop(
        [Description("The interview number, e.g. INT-2026-0005")] string interviewId,
        [Description("The SOP's title; taken from the interview topic when left out")] string? title = null) =>
        CatalogCall.Of("generate_sop", new { interviewId, title }, "SOP-2026-0001");

    [KernelFunction("review_sop")]
    [Description("Records a reviewer's decision on an SOP draft: approve (electronically signed; creates a new version) or request changes with comments.")]
    [Permission("knowledge:approve"), ChangesData]
    [Example("approve SOP-2026-0002")]
    [Example("SOP-2026-0004 needs changes: step 5 is missing the torque value")]
    [Example("send SOP-2026-0007 back, safety notes are incomplete")]
    public CatalogCall ReviewSop(
        [Description("The SOP number, e.g. SOP-2026-0002")] string sopId,
        [Description("The decision: approve or request-changes"), AllowedValues("approve", "request-changes")] string decision,
        [Description("The reviewer's comments")] string? comments = null,
        [Description("The reviewer's password, re-entered now, to approve (or give signingToken)")] string? password = null,
        [Description("A fresh single-use signing token instead of the password")] string? signingToken = null) =>
        CatalogCall.Of("review_sop", new { sopId, decision, comments, signed = password is not null || signingToken is not null });

    [KernelFunction("export_sop")]
    [Description("Exports an SOP as PDF, DOCX or markdown, with its title block, version, approval signature and step provenance.")]
    [Permission("knowledge:view")]
    [Example("export SOP-2026-0002 as pdf")]
    [Example("I need SOP-2026-0004 in word format")]
    [Example("download SOP-2026-0007 as markdown")]
    public CatalogCall ExportSop(
        [Description("The SOP number, e.g. SOP-2026-0002")] string sopId,
        [Description("The format: pdf, docx or markdown"), AllowedValues("pdf", "docx", "markdown")] string format) =>
        CatalogCall.Of("export_sop", new { sopId, format });

    [KernelFunction("search_knowledge")]
    [Description("Searches approved SOPs, interview transcripts and other know-how for a question or topic, with citations.")]
    [Permission("knowledge:view")]
    [Example("what do our SOPs say about tool offsets on the lathe?")]
    [Example("search the knowledge base for curing oven temperature")]
    [Example("how does Karl clamp thin-walled parts?")]
    public CatalogCall SearchKnowledge(
        [Description("The question or topic")] string query,
        [Description("How many passages to return")] int? top = null) =>
        CatalogCall.Of("search_knowledge", new { query, top });

    [KernelFunction("list_sops")]
    [Description("Lists SOPs, filtered by status (draft, in-review, approved, changes-requested, superseded) and topic.")]
    [Permission("knowledge:view")]
    [Example("list approved SOPs")]
    [Example("which SOPs are still drafts?")]
    [Example("SOPs about powder coating")]
    public CatalogCall ListSops(
        [Description("Only SOPs in this status: draft, in-review, approved, changes-requested or superseded"),
         AllowedValues("draft", "in-review", "approved", "changes-requested", "superseded")] string? status = null,
        [Description("Only SOPs about this topic")] string? topic = null) =>
        CatalogCall.Of("list_sops", new { status, topic });
}

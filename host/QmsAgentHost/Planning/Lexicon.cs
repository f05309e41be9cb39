using System.Text.RegularExpressions;

namespace QmsAgentHost.Planning;

/// <summary>
/// The words the offline planner reads verbs and objects by. A function's verb is the first word of
/// its name (<c>create_ncm</c> → create); a request's verbs are the families its words belong to. This
/// is domain language (quality management), not a list of this catalog's functions: a plugin that
/// names its functions verb_object in plain English is understood without changes here.
/// </summary>
internal static partial class Lexicon
{
    /// <summary>Verb families: the function-name verbs of a family, and the phrases people use for it.</summary>
    public static IReadOnlyList<VerbFamily> Verbs { get; } =
    [
        new("create", ["create", "new", "open", "raise", "log", "register", "file", "start", "initiate"],
            ["create", "new", "log", "raise", "open a", "open an", "open new", "register", "file a", "file an", "start a", "initiate", "write up", "report a", "report an", "kick off",
             "we have a", "there is a", "there's a", "found", "detected", "spotted", "came in with", "received", "need a", "we need a", "set up a", "we've got a", "returned"]),
        new("add", ["add", "record", "attach", "capture", "note", "save", "store", "upload"],
            ["add", "record", "recorded", "attach", "capture", "note", "save", "store", "upload", "put", "enter", "log a finding", "append", "document", "new expert", "new interview", "new finding"]),
        new("schedule", ["schedule", "plan", "book"], ["schedule", "plan", "book", "arrange", "organise", "organize", "set up an audit", "put an audit", "calendar"]),
        new("generate", ["generate", "draft", "build", "make", "write", "produce"],
            ["generate", "draft", "build", "make", "write", "produce", "turn", "convert", "prepare", "create the sop", "create a checklist", "checklist", "questions for"]),
        new("list", ["list", "all"], ["list", "show all", "show me all", "all", "which", "what are the", "how many", "overview", "any", "outstanding", "pending", "still open", "open ones", "give me the"]),
        new("get", ["get", "show", "view", "read", "open", "display"],
            ["show", "get", "view", "display", "details", "detail", "look at", "pull up", "what's in", "what is in", "where are we with", "where do we stand", "open", "see", "bring up", "what happened with", "state of", "status of"]),
        new("find", ["find", "search", "similar"], ["find", "similar", "like this", "seen this", "seen", "seen before", "happen before", "happened before", "duplicates", "same problem", "comparable", "look for", "any like", "earlier cases", "past cases", "previous cases", "cases like", "like ncm", "ones like", "past nonconformances", "before?"]),
        new("classify", ["classify", "categorize", "categorise"], ["classify", "category", "categorize", "categorise", "what kind of defect", "which kind", "type of defect", "what type"]),
        new("suggest", ["suggest", "propose", "recommend"], ["suggest", "ideas", "propose", "how do we fix", "how to fix", "how can we fix", "how did we fix", "how did we solve", "what should we do", "what could we do", "advice", "options to", "recommendations", "fixes", "how to stop", "how can we stop", "how do we stop", "prevent"]),
        new("verify", ["verify", "check"], ["verify", "effective", "effectiveness", "ineffective", "did it work", "worked", "not work", "came back", "effectiveness check"]),
        new("approve", ["approve", "sign", "release", "accept"], ["approve", "approved", "granted", "sign off", "signoff", "release", "authorize", "authorise", "give approval", "green light", "ok quote", "okay", "accept the", "i'm ok with"]),
        new("submit", ["submit", "send", "request"], ["submit", "send for approval", "send it for approval", "for approval", "hand in", "hand over", "for sign-off", "request approval", "forward", "ready for approval", "send to the manager", "to my manager", "send it to", "route", "to approve"]),
        new("update", ["update", "set", "change", "move", "mark", "close", "reopen"],
            ["update", "set", "set status", "change the status", "status to", "move", "mark", "close", "closed", "reopen", "re-open", "put on hold", "under investigation", "investigating", "to dispositioned"]),
        new("disposition", ["disposition", "decide"], ["disposition", "disposition it", "scrap", "rework", "repair", "use as is", "use-as-is", "accept as is", "return to supplier", "send back to the supplier", "back to the vendor"]),
        new("export", ["export", "download", "print"], ["export", "download", "as pdf", "as a pdf", "in pdf", "word", "docx", "as markdown", "print"]),
        new("parse", ["parse", "extract", "read"], ["parse", "extract", "pull out", "pull the", "out of this", "read this", "what does this rfq", "what is this rfq", "this rfq", "this request for quotation", "request for quotation", "this email", "this e-mail", "inquiry", "enquiry", "what they want", "being asked"]),
        new("match", ["match", "lookup"], ["match", "matches", "look up part", "lookup", "which of our parts", "catalogue", "catalog", "which part", "find the part"]),
        new("price", ["recommend", "price", "estimate"], ["price", "charge", "cost", "how much", "per piece", "unit price", "pricing", "what should we ask"]),
        new("ask", ["ask", "answer"], ["how do i", "how do you", "how can i", "how to", "where do i", "where can i", "where is", "what does", "what is the meaning", "in the erp", "erp", "error"]),
        new("review", ["review"], ["review", "request changes", "needs changes", "send back", "changes requested", "reject the sop", "comments on"]),
        new("search", ["search", "query"], ["search", "what do our", "what does our", "knowledge", "know-how", "do we have anything on", "anything in our", "according to the sops", "our procedures", "passages"]),
        new("stats", ["stats", "statistics", "usage"], ["statistics", "stats", "usage", "how many questions", "answer rate", "numbers", "volume", "feedback"]),
    ];

    /// <summary>What no plugin function does by convention; a request whose verb is only this is declined, not mapped to the nearest function.</summary>
    public static IReadOnlyList<VerbFamily> Unsupported { get; } =
    [
        new("delete", [], ["delete", "remove", "erase", "purge", "wipe", "get rid of", "drop"]),
        new("undo", [], ["undo", "revert", "roll back", "rollback", "reverse the last", "cancel the last", "take back", "unapprove", "un-approve", "withdraw the", "cancel"]),
        new("sync", [], ["push", "sync", "synchronise", "synchronize", "transfer", "export everything", "upload everything", "send every", "send all", "copy all", "migrate"]),
        new("notify", [], ["email", "e-mail", "mail", "notify", "text", "call", "phone", "ping", "message", "tell"]),
        new("rename", [], ["rename", "merge", "split", "duplicate", "clone", "reassign", "transfer ownership"]),
        new("chitchat", [], ["weather", "joke", "lunch", "football", "hello", "hi there", "thanks", "thank you", "flight", "hotel", "stock price", "poem", "song"]),
    ];

    /// <summary>Words for the objects function names mention, so "nonconformance" counts as <c>ncm</c>.</summary>
    public static IReadOnlyDictionary<string, string[]> Objects { get; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["ncm"] = ["ncm", "ncms", "nonconformance", "nonconformances", "non-conformance", "non conformance", "nonconformence", "nonconformity", "nc", "nc report", "ncr", "defect", "reject", "rejects", "nonconforming", "burrs", "burr", "cracked", "cracks", "porosity", "scratched", "scratches", "dented", "rust", "corrosion", "leaking", "damaged", "broken", "bent", "out of tolerance", "peeling", "spatter", "missing", "wrong"],
        ["ncms"] = ["ncms", "nonconformances", "non-conformances", "ncm", "defects", "ncrs"],
        ["capa"] = ["capa", "corrective action", "corrective and preventive", "8d"],
        ["capas"] = ["capas", "capa", "corrective actions"],
        ["defect"] = ["defect", "category", "classify", "kind of"],
        ["root"] = ["root cause", "why", "whys", "fishbone", "ishikawa", "5 why", "five why", "5-why", "5-whys", "cause"],
        ["cause"] = ["cause", "root cause", "because"],
        ["action"] = ["action", "task", "containment", "preventive", "corrective action", "todo", "to-do"],
        ["actions"] = ["actions", "fix", "fixes", "ideas", "measures", "countermeasures"],
        ["effectiveness"] = ["effective", "effectiveness", "worked", "ineffective", "came back"],
        ["audit"] = ["audit", "audits", "aud"],
        ["audits"] = ["audits", "audit"],
        ["checklist"] = ["checklist", "questions", "question list", "check list"],
        ["finding"] = ["finding", "findings", "nc", "nonconformity", "observation", "ofi", "opportunity"],
        ["report"] = ["report", "write-up"],
        ["quote"] = ["quote", "quotation", "offer", "q-"],
        ["quotes"] = ["quotes", "quotations", "offers"],
        ["request"] = ["rfq", "request for quotation", "inquiry", "enquiry", "request"],
        ["parts"] = ["part", "parts", "catalogue", "catalog", "item", "match"],
        ["price"] = ["price", "cost", "charge", "how much"],
        ["interview"] = ["interview", "transcript", "expert", "conversation with"],
        ["transcript"] = ["transcript", "interview", "notes from"],
        ["sop"] = ["sop", "procedure", "work instruction", "instruction", "standard operating"],
        ["sops"] = ["sops", "procedures", "work instructions"],
        ["knowledge"] = ["knowledge", "know-how", "sops", "documents", "manuals", "procedures"],
        ["erp"] = ["erp", "sap", "system", "screen", "transaction", "posting", "goods receipt", "purchase order", "work order"],
        ["documentation"] = ["documentation", "manual", "manuals", "docs"],
        ["gaps"] = ["gaps", "missing", "could not answer", "unanswered", "short"],
        ["usage"] = ["usage", "stats", "statistics", "answer rate", "how many questions", "volume", "numbers", "feedback"],
        ["stats"] = ["stats", "statistics", "usage"],
        ["status"] = ["status", "close", "closed", "reopen", "open", "investigation", "state"],
        ["approval"] = ["approval", "approve", "manager", "sign"],
    };

    public static IEnumerable<VerbFamily> FamiliesIn(string normalizedText) =>
        Verbs.Where(v => v.Phrases.Any(p => Contains(normalizedText, p)));

    public static VerbFamily? FamilyOfFunction(string functionName)
    {
        var verb = functionName.Split('_', '-')[0].ToLowerInvariant();
        return Verbs.FirstOrDefault(v => v.FunctionVerbs.Contains(verb));
    }

    /// <summary>True when <paramref name="phrase"/> occurs in <paramref name="text"/> as whole words.</summary>
    public static bool Contains(string text, string phrase)
    {
        var index = 0;
        while ((index = text.IndexOf(phrase, index, StringComparison.Ordinal)) >= 0)
        {
            var before = index == 0 || !char.IsLetterOrDigit(text[index - 1]);
            var end = index + phrase.Length;
            var after = end >= text.Length || !char.IsLetterOrDigit(text[end]) || phrase.EndsWith('-');
            if (before && after)
            {
                return true;
            }
            index = end;
        }
        return false;
    }

    /// <summary>Lower case, typographic quotes and dashes made plain, whitespace collapsed.</summary>
    public static string Normalize(string text) =>
        Spaces().Replace(text.ToLowerInvariant().Replace('’', '\'').Replace('–', '-').Replace('—', '-'), " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

/// <summary>A family of verbs: the words function names use for it, and the phrases requests use.</summary>
internal sealed record VerbFamily(string Name, IReadOnlyList<string> FunctionVerbs, IReadOnlyList<string> Phrases);

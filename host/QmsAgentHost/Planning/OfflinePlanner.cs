using System.Numerics.Tensors;
using QmsAgentHost.Sdk.Text;

namespace QmsAgentHost.Planning;

/// <summary>
/// Picks the function for a request without a language model: shortlists by the similarity of the
/// request to each function's examples and description (the local embedder), then decides on the verb,
/// the objects named, the record numbers and the arguments found. Declines what no function does
/// instead of mapping it to the nearest one; fills arguments with the SDK's typed extractors.
/// </summary>
public sealed class OfflinePlanner(FunctionEmbeddings embeddings, TimeProvider clock)
{
    private const double SemanticFloor = 0.30;
    private const double MinimumSemantic = 0.12;
    private const double UnsureMargin = 0.035;

    public async Task<PlanResult> PlanAsync(string message, IReadOnlyList<PlannableFunction> functions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = Lexicon.Normalize(message);
        if (functions.Count == 0 || text.Length == 0)
        {
            return PlanResult.Nothing(PlanDecision.NothingFits, "There are no functions you may call.", []);
        }
        var vectors = await embeddings.ForAsync(functions, cancellationToken);
        var query = await embeddings.EmbedAsync(message, cancellationToken);
        var head = Head(text);
        var requestVerbs = Lexicon.FamiliesIn(head).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var ids = RecordIds.FindAll(message);
        // A bare noun phrase ("audit report AUD-2026-0011", "open ncms") asks to see: get a record by its number, else list.
        var leadUnsupported = Lexicon.Unsupported.Any(f => f.Phrases.Any(p => LeadVerbs(text).StartsWith(p + " ", StringComparison.Ordinal)));
        if (requestVerbs.Count == 0 && !leadUnsupported && head.Split(' ').Length <= 3)
        {
            requestVerbs.Add(ids.Count > 0 ? "get" : "list");
        }

        var ranked = functions
            .Select(f => (Function: f, Score: Score(f, text, query, vectors, requestVerbs, ids, out var semantic, out var evidence), Semantic: semantic, Evidence: evidence))
            .OrderByDescending(x => x.Score)
            .ToList();
        var best = ranked[0];
        var alternatives = ranked.Skip(1).Take(3).Select(x => new PlanAlternative(x.Function.PluginId, x.Function.Name, Confidence(x.Score, 0))).ToList();

        if (Unsupported(text, requestVerbs, best.Function) is { } unsupported)
        {
            return PlanResult.Nothing(PlanDecision.NothingFits, unsupported, [.. ranked.Take(3).Select(x => new PlanAlternative(x.Function.PluginId, x.Function.Name, Confidence(x.Score, 0)))]);
        }
        if (best.Semantic < (best.Evidence ? MinimumSemantic : SemanticFloor))
        {
            return PlanResult.Nothing(PlanDecision.NothingFits, "Nothing I can do matches this request.", [.. ranked.Take(3).Select(x => new PlanAlternative(x.Function.PluginId, x.Function.Name, Confidence(x.Score, 0)))]);
        }

        var margin = ranked.Count > 1 ? best.Score - ranked[1].Score : 1;
        var (arguments, missing) = ArgumentFiller.Fill(best.Function, message, DateOnly.FromDateTime(clock.GetLocalNow().DateTime));
        var decision = margin < UnsureMargin ? PlanDecision.Unsure : missing.Count > 0 ? PlanDecision.AskForArguments : PlanDecision.Call;
        return new PlanResult(best.Function.PluginId, best.Function.Name, arguments, Confidence(best.Score, margin), missing, alternatives) { Decision = decision };
    }

    private static double Score(
        PlannableFunction f, string text, float[] query, IReadOnlyDictionary<string, float[]> vectors, HashSet<string> requestVerbs,
        IReadOnlyList<RecordId> ids, out double semantic, out bool evidence)
    {
        var profile = Cosine(query, vectors[f.Profile]);
        var example = f.Examples.Count == 0 ? profile : f.Examples.Max(e => Cosine(query, vectors[e]));
        semantic = (0.65 * example) + (0.35 * profile);

        var verb = f.Verb is { } family && requestVerbs.Contains(family.Name) ? 1.0 : 0.0;
        var objects = ObjectEvidence(f, text);
        var idEvidence = IdEvidence(f, ids);
        evidence = verb > 0 || objects > 0 || idEvidence > 0;
        return semantic + (0.2 * verb) + objects + idEvidence;
    }

    // The objects a function's name mentions (ncm, root cause, audit report), found in the request.
    private static double ObjectEvidence(PlannableFunction f, string text)
    {
        var words = f.NameWords.Skip(1).ToList();
        if (words.Count == 0)
        {
            return 0;
        }
        var found = words.Count(w => Lexicon.Contains(text, w)
            || (Lexicon.Objects.TryGetValue(w, out var synonyms) && synonyms.Any(s => Lexicon.Contains(text, s))));
        // Every object named counts, and naming all of them counts more.
        return (0.05 * found) + (0.08 * found / words.Count);
    }

    // A record number in the request points at functions that take one of its kind, and away from creating one.
    private static double IdEvidence(PlannableFunction f, IReadOnlyList<RecordId> ids)
    {
        if (ids.Count == 0)
        {
            // A function that needs a record number the request does not give is a poor fit.
            return f.Parameters.Any(p => p.Required && ArgumentFiller.RecordPrefixOf(p) is not null) ? -0.15 : 0;
        }
        var prefixes = ids.Select(i => i.Prefix).ToHashSet(StringComparer.Ordinal);
        var takes = f.Parameters.Select(ArgumentFiller.RecordPrefixOf).Where(p => p is not null).ToHashSet(StringComparer.Ordinal);
        if (takes.Overlaps(prefixes))
        {
            return 0.12;
        }
        return takes.Count > 0 ? -0.1 : -0.05;
    }

    private static string? Unsupported(string text, HashSet<string> requestVerbs, PlannableFunction best)
    {
        var lead = LeadVerbs(text);
        foreach (var family in Lexicon.Unsupported)
        {
            var atLead = family.Phrases.Any(p => lead.StartsWith(p + " ", StringComparison.Ordinal) || lead == p);
            var anywhere = AnywhereUnsupported.Any(p => Lexicon.Contains(text, p)) && family.Phrases.Any(p => AnywhereUnsupported.Contains(p))
                || (family.Name == "chitchat" && OffTopic.Any(p => Lexicon.Contains(text, p)));
            // "Tell me the status of NCM-…" leads with an unsupported word yet asks what a function does.
            var served = best.Verb is { } verb && requestVerbs.Contains(verb.Name) && family.Name is "notify" or "chitchat";
            if (anywhere || (atLead && !served))
            {
                return family.Name switch
                {
                    "delete" => "Records are never deleted here: they are corrected, closed or superseded, and the audit trail keeps every change.",
                    "undo" => "Nothing can be undone by chat: a decision stays in the record and the audit trail; a new decision or status change corrects it.",
                    "sync" => "No function moves records in bulk into another system.",
                    "notify" => "No function sends messages to people.",
                    "rename" => "No function does that to records.",
                    _ => "That is not something the quality functions here do.",
                };
            }
        }
        return null;
    }

    // Words that ask for what no function does wherever they stand in the request.
    private static readonly string[] AnywhereUnsupported =
        ["undo", "rollback", "roll back", "revert", "unapprove", "un-approve", "delete", "purge", "wipe", "sync", "synchronize", "synchronise", "push every", "push all"];

    // Subjects no quality function is about, wherever they are mentioned.
    private static readonly string[] OffTopic = ["weather", "joke", "lunch", "football", "flight", "hotel", "stock price", "poem", "song"];

    // What the request asks, without a pasted text after a colon (an RFQ, a transcript): its verbs are not the request's.
    private static string Head(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && text[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > 8 ? text[..colon] : text;
    }

    // The request from its first real word: "please", "can you" and the like dropped.
    private static string LeadVerbs(string text)
    {
        var lead = text;
        foreach (var filler in new[] { "please ", "pls ", "can you ", "could you ", "would you ", "can we ", "i want to ", "i need to ", "we need to ", "i'd like to ", "hey ", "hi ", "ok ", "quickly " })
        {
            if (lead.StartsWith(filler, StringComparison.Ordinal))
            {
                lead = lead[filler.Length..];
            }
        }
        return lead;
    }

    private static double Confidence(double score, double margin) =>
        Math.Round(Math.Clamp(1 / (1 + Math.Exp(-10 * (score - 0.55))) * Math.Min(1, 0.55 + (margin * 6)), 0, 1), 3);

    private static double Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using QmsAgentHost.Plugins;
using QmsAgentHost.Sdk.Text;

namespace QmsAgentHost.Planning;

/// <summary>
/// Fills a function's arguments from a request with the SDK's typed extractors, by what each parameter
/// is: its type, its name, its allowed values, the record number its description shows. Free text
/// (a description, a reason) is the part of the request that is not the command.
/// </summary>
internal static partial class ArgumentFiller
{
    // Domain words for allowed values people rarely write literally.
    private static readonly Dictionary<string, IReadOnlyList<string>> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["use-as-is"] = ["use as-is", "use it as is", "use them as is", "accept as is", "accepted as is", "as is", "usable as is", "can be used"],
        ["return-to-supplier"] = ["return to vendor", "back to the supplier", "back to supplier", "to the supplier", "send back", "sent back", "rtv", "return them", "return it", "return the parts", "return"],
        ["scrap"] = ["scrapped", "bin", "throw away", "write off"],
        ["rework"] = ["re-work", "re-machine", "remachine"],
        ["under-investigation"] = ["investigating", "being investigated", "in investigation", "investigation"],
        ["dispositioned"] = ["disposed"],
        ["closed"] = ["close", "closing", "done"],
        ["open"] = ["reopen", "re-open", "opened", "still open", "open ones"],
        ["critical"] = ["crit", "safety"],
        ["major"] = ["serious", "severe", "big"],
        ["minor"] = ["small", "cosmetic only", "low"],
        ["five-whys"] = ["5 whys", "5-whys", "5 why", "five why", "5-why", "why-why"],
        ["fishbone"] = ["ishikawa", "fish bone", "6m"],
        ["containment"] = ["contain", "sort", "quarantine", "stop shipment"],
        ["preventive"] = ["prevent", "preventative"],
        ["corrective"] = ["correct", "fix"],
        ["major-nc"] = ["major nonconformity", "major non-conformity", "major nc", "major finding", "major non conformity"],
        ["minor-nc"] = ["minor nonconformity", "minor non-conformity", "minor nc", "minor finding", "minor non conformity"],
        ["observation"] = ["obs", "remark"],
        ["opportunity"] = ["ofi", "opportunity for improvement", "improvement"],
        ["docx"] = ["word", "word document", ".docx", "doc"],
        ["markdown"] = ["md", "text"],
        ["pdf"] = [".pdf"],
        ["approve"] = ["approved", "sign off", "release", "looks good", "ok"],
        ["request-changes"] = ["needs changes", "need changes", "changes", "send back", "back to the author", "rework", "not ok", "reject"],
        ["pending-approval"] = ["waiting for approval", "awaiting approval", "for approval", "pending", "to approve", "waiting approval"],
        ["in-review"] = ["in review", "under review", "being reviewed"],
        ["draft"] = ["drafts", "unfinished"],
        ["changes-requested"] = ["changes requested"],
        ["in-progress"] = ["in progress", "ongoing", "running"],
        ["submitted"] = ["waiting for approval", "awaiting approval"],
        ["planned"] = ["upcoming", "scheduled", "coming"],
        ["sent"] = ["send", "sent out", "did we send"],
        ["verifying"] = ["in verification", "verification", "being verified"],
        ["implementing"] = ["implementation", "being implemented"],
        ["investigating"] = ["investigation", "under investigation"],
    };

    private static readonly Dictionary<string, string> PrefixByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ncm"] = "NCM", ["capa"] = "CAPA", ["audit"] = "AUD", ["quote"] = "Q", ["interview"] = "INT", ["sop"] = "SOP",
    };

    public static (Dictionary<string, JsonElement> Arguments, List<string> Missing) Fill(PlannableFunction function, string message, DateOnly today)
    {
        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var payload = Payload(message);
        foreach (var parameter in function.Parameters)
        {
            if (SecretArguments.IsSecret(parameter.Name))
            {
                continue;
            }
            if (ValueFor(function, parameter, message, payload, today) is { } value)
            {
                arguments[parameter.Name] = JsonSerializer.SerializeToElement(value);
            }
        }
        var missing = function.Parameters.Where(p => p.Required && !arguments.ContainsKey(p.Name) && !SecretArguments.IsSecret(p.Name)).Select(p => p.Name).ToList();
        return (arguments, missing);
    }

    /// <summary>The record prefix a parameter takes (<c>ncmId</c> → NCM), from its description's example or its name.</summary>
    internal static string? RecordPrefixOf(FunctionParameter parameter)
    {
        if (!parameter.Name.EndsWith("Id", StringComparison.Ordinal) && !parameter.Name.EndsWith("Ids", StringComparison.Ordinal))
        {
            return null;
        }
        if (RecordIds.FindAll(parameter.Description) is [var example, ..])
        {
            return example.Prefix;
        }
        var stem = parameter.Name.EndsWith("Ids", StringComparison.Ordinal) ? parameter.Name[..^3] : parameter.Name[..^2];
        var word = CamelWords().Matches(stem).Select(m => m.Value).LastOrDefault() ?? stem;
        return PrefixByName.GetValueOrDefault(word);
    }

    private static object? ValueFor(PlannableFunction function, FunctionParameter p, string message, string payload, DateOnly today)
    {
        var name = p.Name.ToLowerInvariant();
        if (RecordPrefixOf(p) is { } prefix)
        {
            var ids = RecordIds.FindAll(message, prefix).Select(i => i.Value).Distinct().ToList();
            return p.Type == "array" ? (ids.Count > 0 ? ids : null) : ids.FirstOrDefault();
        }
        if (p.AllowedValues is { Count: > 0 } allowed)
        {
            return EnumValues.Find(message, allowed, Synonyms)?.Value;
        }
        switch (p.Type)
        {
            case "date":
                return DateFor(name, message, today);
            case "boolean":
                return BooleanFor(name, message);
            case "integer" or "number":
                return NumberFor(name, message);
            case "array" when name == "lines":
                return LinesFor(message);
            case "array":
                return null;
        }
        if (name.Contains("email", StringComparison.Ordinal))
        {
            return Emails.FindAll(message).Select(e => e.Value).FirstOrDefault();
        }
        if (name == "partnumber")
        {
            return PartNumbers.Find(message)?.Value;
        }
        return TextFor(function, name, p, message, payload);
    }

    private static string? DateFor(string name, string message, DateOnly today)
    {
        var past = name is "from" or "to" or "since" or "until";
        var mentions = Dates.FindAll(message, today, past ? DatePreference.Past : DatePreference.Future);
        if (mentions.Count == 0)
        {
            return null;
        }
        // "From last month" alone means during it; "since January" leaves the end open.
        var single = mentions.Count == 1 && mentions[0].IsRange && !OpenEnded(message, mentions[0]);
        DateOnly? value = name switch
        {
            "from" or "since" => mentions.FirstOrDefault(m => m.Bound == DateBound.OnOrAfter)?.Start
                ?? mentions.FirstOrDefault(m => m.IsRange && m.Bound == DateBound.On)?.Start
                ?? (mentions.Count > 1 && mentions[0].Bound != DateBound.OnOrBefore ? mentions[0].Start : null),
            "to" or "until" => mentions.LastOrDefault(m => m.Bound == DateBound.OnOrBefore)?.End
                ?? mentions.FirstOrDefault(m => m.IsRange && (m.Bound == DateBound.On || single))?.End
                ?? (mentions.Count > 1 ? mentions[^1].End : null),
            _ => mentions[0].IsRange ? mentions[0].Start : mentions[0].End,
        };
        return value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static bool OpenEnded(string message, DateMention mention)
    {
        var before = message[..mention.Span.Index].TrimEnd().ToLowerInvariant();
        return before.EndsWith("since", StringComparison.Ordinal) || before.EndsWith("after", StringComparison.Ordinal)
            || mention.Text.StartsWith("since", StringComparison.OrdinalIgnoreCase) || mention.Text.StartsWith("after", StringComparison.OrdinalIgnoreCase);
    }

    private static bool? BooleanFor(string name, string message)
    {
        var text = Lexicon.Normalize(message);
        if (name == "effective")
        {
            if (Negative().IsMatch(text))
            {
                return false;
            }
            return Lexicon.Contains(text, "effective") || Lexicon.Contains(text, "effectiveness") || Lexicon.Contains(text, "worked") || Lexicon.Contains(text, "no repeat") || Lexicon.Contains(text, "no recurrence") ? true : null;
        }
        var words = CamelWords().Matches(name).Select(m => m.Value.ToLowerInvariant()).ToList();
        if (words.Count == 0)
        {
            words = [name];
        }
        return words.Any(w => Lexicon.Contains(text, w)) || (name == "overdue" && (Lexicon.Contains(text, "late") || Lexicon.Contains(text, "past due") || Lexicon.Contains(text, "behind"))) ? true : null;
    }

    private static decimal? NumberFor(string name, string message)
    {
        if (name is "top" or "limit" or "count")
        {
            var match = Top().Match(message);
            return match.Success && Numbers.TryParse(match.Groups["n"].Success ? match.Groups["n"].Value : match.Groups["m"].Value, out var n) ? n : null;
        }
        if (name.Contains("quantity", StringComparison.Ordinal) || name is "qty" or "pieces")
        {
            return Quantities.Find(message)?.Value;
        }
        if (name.Contains("price", StringComparison.Ordinal) || name.Contains("amount", StringComparison.Ordinal))
        {
            return Money.Find(message)?.Amount;
        }
        return null;
    }

    // Quote lines: each part number with the count nearest before it ("500 x 7710-S", "500 pcs of 7710-S") or after it ("7710-S, 500 pcs").
    private static List<Dictionary<string, object>>? LinesFor(string message)
    {
        var parts = PartNumbers.FindAll(message);
        if (parts.Count == 0)
        {
            return null;
        }
        var quantities = Quantities.FindAll(message).ToList();
        var prices = Money.FindAll(message).ToList();
        var lines = new List<Dictionary<string, object>>();
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var previousEnd = i > 0 ? parts[i - 1].Span.End : 0;
            var nextStart = i + 1 < parts.Count ? parts[i + 1].Span.Index : message.Length;
            var quantity = quantities.LastOrDefault(q => q.Span.Index >= previousEnd && q.Span.End <= part.Span.Index)
                ?? quantities.FirstOrDefault(q => q.Span.Index >= part.Span.End && q.Span.Index < nextStart);
            if (quantity is not null)
            {
                quantities.Remove(quantity);
            }
            else if (BareCount().Match(message[previousEnd..part.Span.Index]) is { Success: true } bare && Numbers.TryParse(bare.Groups["n"].Value, out var count))
            {
                quantity = new Quantity(count, null, new TextSpan(previousEnd + bare.Index, bare.Length));
            }
            var line = new Dictionary<string, object> { ["partNumber"] = part.Value };
            if (quantity is not null)
            {
                line["quantity"] = quantity.Value;
            }
            if (prices.FirstOrDefault(m => m.Span.Index >= part.Span.End && m.Span.Index < nextStart) is { } price)
            {
                line["unitPrice"] = price.Amount;
            }
            lines.Add(line);
        }
        return lines;
    }

    private static string? TextFor(PlannableFunction function, string name, FunctionParameter p, string message, string payload)
    {
        switch (name)
        {
            case "site":
                return Site().Match(message) is { Success: true } site ? site.Groups["s"].Value : null;
            case "lotnumber":
                return Lot().Match(message) is { Success: true } lot ? lot.Groups["l"].Value : null;
            case "clause":
                return Clause().Match(message) is { Success: true } clause ? clause.Groups["c"].Value : null;
            case "standard":
                return Standard().Match(message) is { Success: true } standard ? standard.Value.Trim() : null;
            case "customer":
                return Customer().Match(message) is { Success: true } customer ? customer.Groups["c"].Value.Trim() : null;
            case "expertname":
                return Person().Match(message) is { Success: true } person ? person.Groups["p"].Value : null;
            case "material":
                return Material().Match(message) is { Success: true } material ? material.Groups["m"].Value : null;
            case "category":
                return null;
            case "title":
                return Quoted().Match(message) is { Success: true } quoted ? quoted.Groups["q"].Value
                    : Titled().Match(message) is { Success: true } titled ? titled.Groups["t"].Value.Trim()
                    : p.Required ? Trim(payload) : null;
            case "topic":
                return Topic().Match(message) is { Success: true } topic ? topic.Groups["t"].Value.Trim() : p.Required ? Trim(payload) : null;
            case "reason" or "comment" or "comments" or "evidence" or "rootcause" or "problemstatement":
                return Tail(message) is { } tail ? tail : p.Required ? Trim(payload) : null;
            default:
                // The main text parameter (a description, a question, a query, the RFQ text): the request without its command.
                var firstText = function.Parameters.FirstOrDefault(x => x.Type == "string" && x.AllowedValues is null && RecordPrefixOf(x) is null);
                return p.Required || firstText == p ? Trim(payload) : null;
        }
    }

    // A reason, comment or evidence: after a colon, "because"/"since"/"as", or the clause after the first comma.
    private static string? Tail(string message)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon < message.Length - 3)
        {
            return Trim(message[(colon + 1)..]);
        }
        var match = Because().Match(message);
        if (match.Success)
        {
            return Trim(match.Groups["t"].Value);
        }
        var comma = message.IndexOfAny([',', ';']);
        if (comma > 0 && comma < message.Length - 3)
        {
            return Trim(message[(comma + 1)..]);
        }
        var dash = message.IndexOf(" - ", StringComparison.Ordinal);
        return dash > 0 ? Trim(message[(dash + 3)..]) : null;
    }

    // The request without the command in front of it: after a colon when there is one, else without leading command words.
    private static string Payload(string message)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon < message.Length - 3 && !char.IsDigit(message[colon + 1]))
        {
            return message[(colon + 1)..].Trim();
        }
        return Command().Replace(message, "").Trim();
    }

    private static string? Trim(string? text)
    {
        var trimmed = text?.Trim().Trim('"', '\'', '.', ',', ';', '-', ' ');
        return string.IsNullOrWhiteSpace(trimmed) ? null : trimmed;
    }

    [GeneratedRegex(@"(?<n>\d[\d,]*)\s*(?:pcs|pieces|units|off|x)?\s*(?:of\s+)?$")]
    private static partial Regex BareCount();

    [GeneratedRegex(@"[A-Z]?[a-z]+")]
    private static partial Regex CamelWords();

    [GeneratedRegex(@"\b(?:not|no longer|isn't|wasn't|didn't|did not|ineffective|failed|came back|recurr?ed|still)\b")]
    private static partial Regex Negative();

    [GeneratedRegex(@"\b(?:top|first|best)\s+(?<n>\d+|[a-z]+)\b|\b(?<m>\d+)\s+(?:most|best|closest|similar|matches|results|topics|gaps|passages|hits)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Top();

    [GeneratedRegex(@"(?:\b(?:at|in|for|of)\s+(?:the\s+)?(?<s>[A-Z][\w-]+)\s+(?:site|plant|factory|facility|works)\b|\b(?:site|plant)\s*:?\s+(?<s>[A-Z][\w-]+))")]
    private static partial Regex Site();

    [GeneratedRegex(@"\b(?:lot|batch)\s*(?:no\.?|number|#)?\s*:?\s*(?<l>[A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Lot();

    [GeneratedRegex(@"(?:\bclause|§|\bsection|\bchapter)\s*(?<c>\d+(?:\.\d+)*)", RegexOptions.IgnoreCase)]
    private static partial Regex Clause();

    [GeneratedRegex(@"\b(?:ISO(?:/IEC)?\s*\d{4,5}(?::\d{4})?|IATF\s*16949(?::\d{4})?|AS\s*9100\s*[A-D]?|21\s*CFR\s*(?:part\s*)?\d+|ISO/TS\s*\d+|EN\s*\d+(?::\d{4})?)", RegexOptions.IgnoreCase)]
    private static partial Regex Standard();

    [GeneratedRegex(@"\b(?:for|to|from|customer|client)\s*:?\s+(?<c>(?:[A-Z][\w&.'-]*)(?:\s+(?:[A-Z][\w&.'-]*|&))*(?:\s+(?:GmbH|AG|Inc\.?|Ltd\.?|LLC|SE|s\.r\.o\.|SA|Co\.?|plc|KG|BV|Oy|AB))?)")]
    private static partial Regex Customer();

    [GeneratedRegex(@"\b(?:with|expert|from|by|of|interviewed|transcript|interview)\s*:?\s+(?<p>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)")]
    private static partial Regex Person();

    [GeneratedRegex(@"\b(?:in|material|made of|from)\s*:?\s+(?<m>(?:stainless(?:\s+steel)?|aluminium|aluminum|steel|brass|copper|bronze|titanium|POM|PA6|PEEK|ABS|1\.\d{4}|\d{4}(?:-T\d)?|S235|S355|42CrMo4)(?:\s+\d{4}(?:-T\d)?)?)", RegexOptions.IgnoreCase)]
    private static partial Regex Material();

    [GeneratedRegex("[\"“'‘](?<q>[^\"”'’]{3,})[\"”'’]")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b(?:called|titled|named|title)\s*:?\s+(?<t>[^,.;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Titled();

    [GeneratedRegex(@"\b(?:about|on the topic of|topic|regarding|on)\s*:?\s+(?<t>[^,.;:]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Topic();

    [GeneratedRegex(@"\b(?:because|since|as|reason|due to|evidence|comment|root cause is|root cause was|caused by|cause is|cause was)\s*:?\s+(?<t>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Because();

    [GeneratedRegex(@"^(?:(?:please|pls|can you|could you|would you|i need to|i want to|we need to|hey|hi|ok|quickly)[,\s]+)*(?:(?:log|raise|create|open|file|record|register|report|add|new|start|make|write up|search(?: the knowledge base)?(?: for)?|look up|find|ask|classify|suggest|parse|extract)\b\s*(?:an?|the|new)?\s*(?:ncm|nonconformance|non-conformance|nonconformity|defect|capa|report)?\s*(?:for|about|on|that)?\s*[:,-]?\s*)?", RegexOptions.IgnoreCase)]
    private static partial Regex Command();
}

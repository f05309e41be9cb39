namespace QmsAgentHost.Sdk.Workflows;

/// <summary>A named sequence of function calls, run durably by the host.</summary>
/// <param name="Name">Unique within the plugin, e.g. <c>ncm-to-capa</c>.</param>
/// <param name="Description">What the workflow achieves.</param>
/// <param name="Steps">The calls, in order.</param>
public sealed record WorkflowDefinition(string Name, string Description, IReadOnlyList<WorkflowStep> Steps);

/// <summary>One call in a workflow.</summary>
/// <param name="Function">The function, as <c>plugin-id.FunctionName</c>.</param>
/// <param name="Inputs">
/// Argument name to source: a literal, <c>$input.name</c> (the workflow's input) or
/// <c>$steps[0].name</c> (a property of an earlier step's result).
/// </param>
public sealed record WorkflowStep(string Function, IReadOnlyDictionary<string, string> Inputs);

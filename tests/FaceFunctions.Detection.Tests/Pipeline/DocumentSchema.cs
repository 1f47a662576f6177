using System.Text.Json;
using FaceFunctions.Detection.Documents;
using Json.Schema;

namespace FaceFunctions.Detection.Tests.Pipeline;

/// <summary>The published JSON Schema (docs/detection-document.schema.json), to hold every document the tests see against.</summary>
internal static class DocumentSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromFile(Path.Combine(RepositoryPaths.Root, "docs", "detection-document.schema.json")));

    public static void AssertValid(DetectionDocument document)
    {
        var json = JsonSerializer.Serialize(document, DetectionDocumentJsonContext.Default.DetectionDocument);
        using var parsed = JsonDocument.Parse(json);
        var result = Schema.Value.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        Assert.True(result.IsValid, $"document does not match the schema: {json}\n" + string.Join("\n", errors));
    }
}

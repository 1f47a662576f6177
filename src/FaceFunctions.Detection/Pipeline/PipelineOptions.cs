using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Detection.Pipeline;

/// <summary>Everything that shapes how a photo is processed, shared by the CLI and the function app.</summary>
public sealed record PipelineOptions
{
    /// <summary>What the cascade looks for.</summary>
    public DetectionOptions Detection { get; init; } = DetectionOptions.Default;

    /// <summary>Where and how the networks run.</summary>
    public InferenceOptions Inference { get; init; } = new();

    /// <summary>What a photo may be before it is decoded.</summary>
    public ImageLimits Limits { get; init; } = ImageLimits.Default;

    /// <summary>What the pipeline produces besides the document.</summary>
    public OutputOptions Output { get; init; } = new();

    /// <summary>Where the three ONNX models are; null means <c>models/</c> beside the application.</summary>
    public string? ModelsDirectory { get; init; }

    public PipelineOptions Validate()
    {
        Detection.Validate();
        Inference.Validate();
        Limits.Validate();
        Output.Validate();
        return this;
    }
}

using Microsoft.ML.OnnxRuntime;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// One MTCNN network behind an ONNX Runtime session. <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so one instance serves every concurrent photo.
/// </summary>
internal sealed class OnnxNetwork : IDisposable
{
    private static readonly string[] InputNames = ["input"];
    private readonly InferenceSession _session;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();

    public OnnxNetwork(string path, SessionOptions options, params string[] outputNames)
    {
        _session = new InferenceSession(path, options);
        _outputNames = outputNames;
    }

    /// <summary>Runs the network on an NCHW float tensor that lives in <paramref name="input"/> (no copy).</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(Memory<float> input, long[] shape)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, shape);
        return _session.Run(_runOptions, InputNames, [value], _outputNames);
    }

    /// <summary>Runs a batch and copies each output out (R-Net's and O-Net's outputs are a few floats per crop).</summary>
    public float[][] RunToArrays(Memory<float> input, long[] shape)
    {
        using var outputs = Run(input, shape);
        return outputs.Select(o => o.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}

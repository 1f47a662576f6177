using Microsoft.ML.OnnxRuntime;

namespace FaceFunctions.Detection.Models;

/// <summary>The three MTCNN inference sessions; ONNX Runtime sessions are safe to run concurrently.</summary>
public sealed class MtcnnSessions(InferenceSession pnet, InferenceSession rnet, InferenceSession onet) : IDisposable
{
    public InferenceSession PNet { get; } = pnet;

    public InferenceSession RNet { get; } = rnet;

    public InferenceSession ONet { get; } = onet;

    public void Dispose()
    {
        PNet.Dispose();
        RNet.Dispose();
        ONet.Dispose();
    }
}

using Microsoft.ML.OnnxRuntime;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>Loads ONNX Runtime's native library and environment ahead of the first detector (see <see cref="MtcnnDetector.WarmUpAsync"/>).</summary>
internal static class OnnxRuntimeWarmUp
{
    /// <summary>The task never faults: when ONNX Runtime cannot load, creating the detector reports it.</summary>
    public static Task StartAsync() => Task.Run(static () =>
    {
        try
        {
            OrtEnv.Instance();
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
        {
            // Left to MtcnnDetector.Create, which fails with the same cause where the caller can handle it.
        }
    });
}

using Microsoft.ML.OnnxRuntime;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>ONNX Runtime session options for each execution provider.</summary>
internal static class SessionOptionsFactory
{
    /// <summary>
    /// One thread per call: the detector runs tiles and crop batches in parallel itself, which scales better on
    /// MTCNN's small convolutions than ONNX Runtime's intra-op pool (docs/performance.md), and keeps the thread
    /// count exactly what <see cref="InferenceOptions.Threads"/> allows.
    /// </summary>
    public static SessionOptions CreateCpu()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        // No pool threads to keep spinning between calls.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>Throws <see cref="OnnxRuntimeException"/> when the CUDA provider cannot be loaded (CPU build, no driver).</summary>
    public static SessionOptions CreateCuda()
    {
        var options = CreateCpu();
        try
        {
            options.AppendExecutionProvider_CUDA(0);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}

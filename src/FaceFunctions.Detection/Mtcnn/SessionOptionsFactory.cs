using Microsoft.ML.OnnxRuntime;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>ONNX Runtime session options for each execution provider.</summary>
internal static class SessionOptionsFactory
{
    public static SessionOptions CreateCpu(int threads)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            // The three networks are small chains: parallelism within an operator is all there is to use.
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        return options;
    }

    /// <summary>Throws <see cref="OnnxRuntimeException"/> when the CUDA provider cannot be loaded (CPU build, no driver).</summary>
    public static SessionOptions CreateCuda(int threads)
    {
        var options = CreateCpu(threads);
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

using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// Turns <see cref="InferenceOptions.ExecutionProvider"/> into session options: the CPU, CUDA, or CUDA falling back
/// to the CPU with a warning ('auto' on a GPU build where CUDA cannot load).
/// </summary>
internal static class ExecutionProviderSelection
{
    /// <summary>
    /// Calls <paramref name="create"/> with the chosen session options and provider name ("cpu" or "cuda"). Loading
    /// the networks is part of trying CUDA: a provider that appends but cannot run fails there.
    /// </summary>
    /// <exception cref="InvalidOperationException">CUDA was required but cannot load.</exception>
    public static T Create<T>(InferenceOptions settings, ILogger logger, Func<SessionOptions, string, T> create)
    {
        using var cpu = SessionOptionsFactory.CreateCpu();
        if (settings.ExecutionProvider == ExecutionProvider.Cpu || (settings.ExecutionProvider == ExecutionProvider.Auto && !MtcnnDetector.IsGpuBuild))
        {
            // A CPU build has no CUDA provider to try: 'auto' means the CPU, with nothing to warn about.
            return create(cpu, "cpu");
        }

        try
        {
            using var cuda = SessionOptionsFactory.CreateCuda();
            return create(cuda, "cuda");
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            if (settings.ExecutionProvider == ExecutionProvider.Cuda)
            {
                throw new InvalidOperationException(
                    "Detection:ExecutionProvider is 'cuda' but ONNX Runtime's CUDA provider could not be loaded. " +
                    "It needs the GPU build (-p:OnnxRuntimeFlavor=Gpu), CUDA 13 and cuDNN 9 libraries on the library path, " +
                    $"and an NVIDIA GPU. Use 'auto' to fall back to the CPU. Cause: {ex.Message}", ex);
            }

            logger.LogWarning("CUDA is not available ({Reason}); MTCNN runs on the CPU.", ex.Message);
            return create(cpu, "cpu");
        }
    }
}

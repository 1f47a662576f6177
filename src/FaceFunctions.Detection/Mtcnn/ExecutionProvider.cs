namespace FaceFunctions.Detection.Mtcnn;

/// <summary>Where the networks run.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when its libraries load, otherwise the CPU (with one logged warning).</summary>
    Auto,

    Cpu,

    /// <summary>CUDA or nothing: start-up fails with a clear message when the CUDA libraries are missing.</summary>
    Cuda,
}

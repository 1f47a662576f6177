using FaceFunctions.Detection.Models;
using FaceFunctions.Detection.Mtcnn;

namespace FaceFunctions.Detection.Tests.Mtcnn;

/// <summary>One detector, on the real models from the build output, shared by a test class (creating sessions is the slow part).</summary>
public sealed class DetectorFixture : IDisposable
{
    public MtcnnDetector Detector { get; } = MtcnnDetector.Create(ModelSet.Load(), new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, Threads = 2 });

    public void Dispose() => Detector.Dispose();
}

namespace FaceFunctions.Detection.Mtcnn;

/// <summary>
/// Runs R-Net or O-Net on a batch of crops (count slots of 3×S×S floats) and returns each output
/// as a row-major array. Either straight through (<see cref="DirectRunner"/>) or gathered with other photos' crops
/// into larger batches (<see cref="MicroBatcher"/>).
/// </summary>
internal interface IRefineRunner : IDisposable
{
    float[][] Run(Memory<float> crops, int count);
}

/// <summary>One network call per batch: what the CPU wants (batches of 32–128 crops already fill a core).</summary>
internal sealed class DirectRunner(OnnxNetwork network, int size) : IRefineRunner
{
    public float[][] Run(Memory<float> crops, int count) => network.RunToArrays(crops, [count, 3, size, size]);

    public void Dispose() => network.Dispose();
}

using FaceFunctions.ModelConverter.Tflite;
using Microsoft.ML.OnnxRuntime;

namespace FaceFunctions.ModelConverter.Tests;

/// <summary>
/// Runs one network both ways on the same random upright batch, the ONNX model through ONNX Runtime and the
/// TFLite graph through <see cref="TfliteReferenceInterpreter"/> on the transposed image, and reports the largest
/// absolute difference per output.
/// </summary>
internal static class NetworkComparison
{
    public sealed record Result(IReadOnlyDictionary<string, float> MaxAbsDifference, IReadOnlyDictionary<string, long[]> OnnxShapes);

    public static Result Compare(byte[] onnxModel, byte[] tflite, int batch, int height, int width, int seed)
    {
        var random = new Random(seed);
        // Normalised pixels, (v - 127.5) / 128, lie in [-1, 1).
        var input = Enumerable.Range(0, batch * 3 * height * width).Select(_ => (random.NextSingle() * 2f) - 1f).ToArray();
        var onnx = RunOnnx(onnxModel, input, batch, height, width);
        var reference = RunReference(TfliteReader.Read(tflite), input, batch, height, width);
        Assert.Equal(reference.Keys.Order(), onnx.Keys.Order());
        var differences = onnx.ToDictionary(
            o => o.Key,
            o => o.Value.Data.Zip(reference[o.Key], (a, b) => Math.Abs(a - b)).Max());
        return new Result(differences, onnx.ToDictionary(o => o.Key, o => o.Value.Shape));
    }

    private static Dictionary<string, (float[] Data, long[] Shape)> RunOnnx(byte[] model, float[] input, int batch, int height, int width)
    {
        // ONNX Runtime's default options (all graph optimisations), as the detector runs the models.
        using var session = new InferenceSession(model);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, 3, height, width]);
        using var runOptions = new RunOptions();
        var names = session.OutputNames;
        using var outputs = session.Run(runOptions, ["input"], [value], names);
        return names.Zip(outputs).ToDictionary(
            p => p.First,
            p => (p.Second.GetTensorDataAsSpan<float>().ToArray(), p.Second.GetTensorTypeAndShape().Shape));
    }

    /// <summary>Feeds each sample transposed (NHWC [1, W, H, 3]) and lays the outputs back out as upright NCHW.</summary>
    private static Dictionary<string, float[]> RunReference(TfliteModel model, float[] input, int batch, int height, int width)
    {
        var interpreter = new TfliteReferenceInterpreter(model);
        var result = new Dictionary<string, List<float>>();
        for (var n = 0; n < batch; n++)
        {
            var transposed = new float[width * height * 3];
            for (var ch = 0; ch < 3; ch++)
            {
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        transposed[(((x * height) + y) * 3) + ch] = input[(((((n * 3) + ch) * height) + y) * width) + x];
                    }
                }
            }

            foreach (var (_, output) in interpreter.Run(new(transposed, [1, width, height, 3])))
            {
                var name = output.Shape[^1] switch { 2 => "prob", 4 => "reg", 10 => "landmarks", var c => throw new InvalidDataException($"{c} channels") };
                if (!result.TryGetValue(name, out var values))
                {
                    result[name] = values = [];
                }

                values.AddRange(output.Shape.Length == 2 ? output.Data : Upright(output));
            }
        }

        return result.ToDictionary(r => r.Key, r => r.Value.ToArray());
    }

    // [1, rows, cols, C] over the transposed image → [C, cols, rows] = upright [C, H, W].
    private static float[] Upright(TfliteReferenceInterpreter.Tensor t)
    {
        var (rows, cols, channels) = (t.Shape[1], t.Shape[2], t.Shape[3]);
        var upright = new float[t.Data.Length];
        for (var ch = 0; ch < channels; ch++)
        {
            for (var y = 0; y < cols; y++)
            {
                for (var x = 0; x < rows; x++)
                {
                    upright[(((ch * cols) + y) * rows) + x] = t.Data[(((x * cols) + y) * channels) + ch];
                }
            }
        }

        return upright;
    }
}

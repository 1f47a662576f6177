namespace FaceFunctions.ModelConverter;

/// <summary>One of the three MTCNN networks: its file name stem and the sha256 of the TFLite file we convert.</summary>
internal sealed record MtcnnNetwork(string Name, string Title, string TfliteSha256)
{
    public static IReadOnlyList<MtcnnNetwork> All { get; } =
    [
        new("pnet", "MTCNN P-Net (proposal network)", "8272d20e7e0981b20028d3bc783fd6a5a9bc7d34da8f73b3def0ac62de082077"),
        new("rnet", "MTCNN R-Net (refinement network)", "169c451054b94f85b01924f4946d314389d3eb5cb6c70eb438df86c52fb54c55"),
        new("onet", "MTCNN O-Net (output network)", "946543640bd17e5275f442646422a4816441bb00897439a69bc9ea5fcf1fe601"),
    ];

    public string TfliteFileName => $"{Name}.tflite";

    public string OnnxFileName => $"{Name}.onnx";
}

using System.CommandLine;
using FaceFunctions.Cli;
using FaceFunctions.Cli.Commands;
using FaceFunctions.Detection.Mtcnn;

// Loading ONNX Runtime overlaps with parsing the command line; every command but `local` needs it.
_ = MtcnnDetector.WarmUpAsync();

var root = new RootCommand("facefunctions: MTCNN face detection on local photos, the same pipeline the Azure functions run")
{
    DetectCommand.Create(),
    BenchCommand.Create(),
    EvalCommand.Create(PipelinePhotoDetector.Create),
    new Command("local", "Work with a local function host and storage emulator") { LocalUploadCommand.Create() },
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("Run 'facefunctions --help' for usage.");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync();

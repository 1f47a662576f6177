using System.CommandLine;
using FaceFunctions.Cli;
using FaceFunctions.Cli.Commands;
using FaceFunctions.Detection.Mtcnn;

// Loading ONNX Runtime overlaps with parsing the command line; every command but `local` needs it.
var warmUp = MtcnnDetector.WarmUpAsync();
try
{
    return await Run(args);
}
finally
{
    // Never exit while ONNX Runtime is still initialising on another thread: its native teardown would race
    // the initialisation and crash the process (seen as exit code 139 on an immediate usage error).
    await warmUp;
}

static async Task<int> Run(string[] args)
{
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
}

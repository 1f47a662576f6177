using FaceFunctions.Cli;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;

// Loading ONNX Runtime overlaps with parsing the command line; every command but `local` needs it.
var warmUp = MtcnnDetector.WarmUpAsync();
try
{
    return await CliApp.RunAsync(args, PhotoPipeline.Create);
}
finally
{
    // Never exit while ONNX Runtime is still initialising on another thread: its native teardown would race
    // the initialisation and crash the process (seen as exit code 139 on an immediate usage error).
    await warmUp;
}

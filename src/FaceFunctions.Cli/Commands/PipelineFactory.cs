using FaceFunctions.Detection.Pipeline;
using Microsoft.Extensions.Logging;

namespace FaceFunctions.Cli.Commands;

/// <summary>
/// How commands get their pipeline: <see cref="PhotoPipeline.Create"/> in the program, a fake in tests that need
/// one. The logger shows the detector's warnings on the invocation's stderr.
/// </summary>
internal delegate IPhotoPipeline PipelineFactory(PipelineOptions options, ILogger logger);

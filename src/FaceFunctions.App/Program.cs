using FaceFunctions.App.Configuration;
using FaceFunctions.Detection.Mtcnn;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A cold start loads ONNX Runtime's native library; let it overlap with the worker's own start-up.
var warmUp = MtcnnDetector.WarmUpAsync();

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

// The Application Insights package adds a rule that keeps only warnings from the worker; the per-photo
// Information logs (name, face count, stage timings) are the point, so that rule goes.
builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
{
    var warningsOnly = options.Rules.FirstOrDefault(rule =>
        rule.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (warningsOnly is not null)
    {
        options.Rules.Remove(warningsOnly);
    }
});

builder.Services.Configure<TelemetryConfiguration>(telemetry =>
    TelemetryAuthentication.Apply(telemetry, builder.Configuration[TelemetryAuthentication.Setting]));

builder.Services.AddFaceFunctions(builder.Configuration);
try
{
    builder.Build().Run();
}
finally
{
    // A worker that stops early (a missing setting fails start-up) must not exit while ONNX Runtime is still
    // initialising on another thread: the native teardown would race it and crash instead of reporting.
    warmUp.Wait();
}

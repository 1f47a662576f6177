using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FaceFunctions.Detection;
using FaceFunctions.Detection.Imaging;
using FaceFunctions.Detection.Mtcnn;
using FaceFunctions.Detection.Pipeline;
using FaceFunctions.Storage.Processing;
using FaceFunctions.Storage.Results;
using FaceFunctions.Storage.Scanning;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceFunctions.App.Configuration;

public static class ServiceRegistration
{
    /// <summary>
    /// Binds and validates every setting in <see cref="SettingNames.App"/> when the host starts (a wrong or missing
    /// value stops the worker with a message naming it), and registers the storage clients and the processor.
    /// </summary>
    public static IServiceCollection AddFaceFunctionsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RequiredSettings>().Configure(check => check.Missing = RequiredSettings.MissingFrom(configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RequiredSettings>, RequiredSettings.Validator>();

        // The core's own option types, bound straight from their sections: one type and one set of ranges per concept.
        services.AddSection<FaceFunctionsOptions>(configuration, SettingNames.FaceFunctionsSection);
        services.AddSection<OutputOptions>(configuration, SettingNames.FaceFunctionsSection);
        services.AddSection<DetectionOptions>(configuration, SettingNames.DetectionSection);
        services.AddSection<InferenceOptions>(configuration, SettingNames.DetectionSection);
        services.AddSection<ImageLimits>(configuration, SettingNames.ImageLimitsSection);

        // The connection is checked at start-up too, through an options instance that carries its problem.
        var photoStorage = configuration.GetSection(SettingNames.PhotoStorageConnection);
        services.AddOptions<PhotoStorageCheck>()
            .Configure(check => check.Problem = PhotoStorageClientFactory.Problem(photoStorage))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PhotoStorageCheck>, PhotoStorageCheckValidator>();
        return services;
    }

    /// <summary>Everything <see cref="AddFaceFunctionsOptions"/> registers plus the storage clients and the processor.</summary>
    public static IServiceCollection AddFaceFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFaceFunctionsOptions(configuration);
        var photoStorage = configuration.GetSection(SettingNames.PhotoStorageConnection);
        services.AddAzureClients(clients => clients.AddClient<BlobServiceClient, BlobClientOptions>(
            (options, _, provider) => PhotoStorageClientFactory.Create(photoStorage, provider.GetRequiredService<AzureComponentFactory>(), options)));
        services.AddSingleton(provider => PhotoStorageClientFactory.CreateQueues(photoStorage, provider.GetRequiredService<AzureComponentFactory>()));
        services.AddSingleton(provider => PhotoStorageClientFactory.CreateTables(photoStorage, provider.GetRequiredService<AzureComponentFactory>()));
        services.AddSingleton(provider => ResultContainers.Create(
            provider.GetRequiredService<BlobServiceClient>(), provider.GetRequiredService<IOptions<FaceFunctionsOptions>>().Value.ToContainerNames()));
        services.AddSingleton<ResultStore>();

        // One pipeline (ONNX sessions) per worker process, shared by every invocation; created at start-up so a
        // missing or corrupt model stops the worker instead of failing each photo.
        services.AddSingleton<IPhotoPipeline>(provider => PhotoPipeline.Create(
            PipelineOptionsFrom(provider),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<PhotoPipeline>()));
        services.AddHostedService<DetectorWarmUp>();
        services.AddSingleton(provider => new PhotoProcessor(
            provider.GetRequiredService<IPhotoPipeline>(),
            provider.GetRequiredService<ResultStore>(),
            provider.GetRequiredService<IOptions<FaceFunctionsOptions>>().Value.MaxConcurrentDetections,
            provider.GetRequiredService<ILogger<PhotoProcessor>>()));
        services.AddSingleton(CreateScanService);
        return services;
    }

    /// <summary>The pipeline the (validated) settings describe.</summary>
    internal static PipelineOptions PipelineOptionsFrom(IServiceProvider provider)
    {
        var app = provider.GetRequiredService<IOptions<FaceFunctionsOptions>>().Value;
        return new PipelineOptions
        {
            Detection = provider.GetRequiredService<IOptions<DetectionOptions>>().Value,
            // Concurrent detections share the instance's cores instead of each claiming all of them.
            Inference = provider.GetRequiredService<IOptions<InferenceOptions>>().Value with
            {
                Threads = Math.Max(1, Environment.ProcessorCount / app.MaxConcurrentDetections),
            },
            Limits = provider.GetRequiredService<IOptions<ImageLimits>>().Value,
            Output = provider.GetRequiredService<IOptions<OutputOptions>>().Value,
        };
    }

    /// <summary>Scans list the photos container and keep their record, queues and table in the photo storage account.</summary>
    private static ScanService CreateScanService(IServiceProvider provider)
    {
        var blobs = provider.GetRequiredService<BlobServiceClient>();
        var queues = provider.GetRequiredService<QueueServiceClient>();
        var photos = blobs.GetBlobContainerClient(provider.GetRequiredService<IOptions<FaceFunctionsOptions>>().Value.PhotosContainer);
        var results = provider.GetRequiredService<ResultContainers>();
        var loggers = provider.GetRequiredService<ILoggerFactory>();
        var scanner = new PhotoScanner(
            photos,
            provider.GetRequiredService<ResultStore>(),
            results,
            new OrphanPruner(photos, results, loggers.CreateLogger<OrphanPruner>()),
            provider.GetRequiredService<PhotoProcessor>().Detector,
            loggers.CreateLogger<PhotoScanner>());
        return new ScanService(
            blobs.GetBlobContainerClient(ScanService.ScansContainer),
            queues.GetQueueClient(ScanService.StepsQueue),
            queues.GetQueueClient(ScanService.PhotosQueue),
            provider.GetRequiredService<TableServiceClient>().GetTableClient(ScanService.CompletionsTable),
            scanner,
            loggers.CreateLogger<ScanService>());
    }

    private static void AddSection<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
    }

    /// <summary>Loads the models when the worker starts rather than on the first photo.</summary>
    internal sealed class DetectorWarmUp(IPhotoPipeline pipeline) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(pipeline);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Carries the PhotoStorage connection problem (if any) into start-up validation.</summary>
    internal sealed class PhotoStorageCheck
    {
        public string? Problem { get; set; }
    }

    private sealed class PhotoStorageCheckValidator : IValidateOptions<PhotoStorageCheck>
    {
        public ValidateOptionsResult Validate(string? name, PhotoStorageCheck options) =>
            options.Problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Problem);
    }
}

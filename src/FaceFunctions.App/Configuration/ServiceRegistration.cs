using Azure.Storage.Blobs;
using FaceFunctions.App.Processing;
using FaceFunctions.App.Storage;
using FaceFunctions.Detection.Pipeline;
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
        services.AddOptions<FaceFunctionsOptions>().Bind(configuration.GetSection(SettingNames.FaceFunctionsSection)).ValidateOnStart();
        services.AddOptions<DetectionSettings>().Bind(configuration.GetSection(SettingNames.DetectionSection)).ValidateOnStart();
        services.AddOptions<ImageLimitsSettings>().Bind(configuration.GetSection(SettingNames.ImageLimitsSection)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FaceFunctionsOptions>, FaceFunctionsOptionsValidator>();
        services.AddSingleton<IValidateOptions<DetectionSettings>, DetectionSettingsValidator>();
        services.AddSingleton<IValidateOptions<ImageLimitsSettings>, ImageLimitsSettingsValidator>();

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
        services.AddSingleton(provider => ResultContainers.Create(
            provider.GetRequiredService<BlobServiceClient>(), provider.GetRequiredService<IOptions<FaceFunctionsOptions>>().Value));
        services.AddSingleton<ResultStore>();

        // One pipeline (ONNX sessions) per worker process, shared by every invocation; created at start-up so a
        // missing or corrupt model stops the worker instead of failing each photo.
        services.AddSingleton(provider => PhotoPipeline.Create(
            PipelinePhotoDetector.Settings(
                provider.GetRequiredService<IOptions<FaceFunctionsOptions>>().Value,
                provider.GetRequiredService<IOptions<DetectionSettings>>().Value,
                provider.GetRequiredService<IOptions<ImageLimitsSettings>>().Value),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<PhotoPipeline>()));
        services.AddSingleton<IPhotoDetector, PipelinePhotoDetector>();
        services.AddHostedService<DetectorWarmUp>();
        services.AddSingleton<PhotoProcessor>();
        return services;
    }

    /// <summary>Loads the models when the worker starts rather than on the first photo.</summary>
    internal sealed class DetectorWarmUp(IPhotoDetector detector) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(detector);
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

namespace FaceFunctions.App.Configuration;

/// <summary>
/// Every app setting the function app reads, in the environment-variable form Azure uses ("Section__Key").
/// The options classes bind these sections, and the infrastructure tests check that the Bicep templates set
/// exactly these settings: this list is the single source of truth for both.
/// </summary>
public static class SettingNames
{
    /// <summary>Connection name of the storage account that holds photos and results (identity-based in Azure).</summary>
    public const string PhotoStorageConnection = "PhotoStorage";

    public const string FaceFunctionsSection = "FaceFunctions";
    public const string DetectionSection = "Detection";
    public const string ImageLimitsSection = "ImageLimits";

    public const string PhotosContainer = "FaceFunctions__PhotosContainer";
    public const string DetectionsContainer = "FaceFunctions__DetectionsContainer";
    public const string FacesContainer = "FaceFunctions__FacesContainer";
    public const string AnnotatedContainer = "FaceFunctions__AnnotatedContainer";
    public const string AnonymizedContainer = "FaceFunctions__AnonymizedContainer";
    public const string WriteAnnotated = "FaceFunctions__WriteAnnotated";
    public const string WriteAnonymized = "FaceFunctions__WriteAnonymized";
    public const string MaxConcurrentDetections = "FaceFunctions__MaxConcurrentDetections";
    public const string CropSize = "FaceFunctions__CropSize";

    /// <summary>When the ScanPhotos timer starts a scan (NCRONTAB, six fields, UTC unless WEBSITE_TIME_ZONE says otherwise).</summary>
    public const string ScanSchedule = "FaceFunctions__ScanSchedule";

    public const string ExecutionProvider = "Detection__ExecutionProvider";
    public const string MinFaceSize = "Detection__MinFaceSize";

    public const string MaxBytes = "ImageLimits__MaxBytes";
    public const string MaxPixels = "ImageLimits__MaxPixels";
    public const string MaxJpegScans = "ImageLimits__MaxJpegScans";
    public const string MinBytesPerMegapixel = "ImageLimits__MinBytesPerMegapixel";

    /// <summary>Decoded-photo memory one worker process may hold, in MB; the templates give 75 % of the instance's memory.</summary>
    public const string MemoryBudgetMegabytes = "ImageLimits__MemoryBudgetMegabytes";

    /// <summary>Blob-triggered invocations one instance runs at once (host.json extensions.blobs.maxDegreeOfParallelism).</summary>
    public const string HostBlobParallelism = "AzureFunctionsJobHost__extensions__blobs__maxDegreeOfParallelism";

    /// <summary>Messages a queue function fetches at a time (host.json extensions.queues.batchSize).</summary>
    public const string HostQueueBatchSize = "AzureFunctionsJobHost__extensions__queues__batchSize";

    /// <summary>Messages still running when a queue function fetches the next batch (host.json extensions.queues.newBatchThreshold).</summary>
    public const string HostQueueNewBatchThreshold = "AzureFunctionsJobHost__extensions__queues__newBatchThreshold";

    /// <summary>The settings our own options classes bind.</summary>
    public static IReadOnlyList<string> App { get; } =
    [
        PhotosContainer, DetectionsContainer, FacesContainer, AnnotatedContainer, AnonymizedContainer,
        WriteAnnotated, WriteAnonymized, MaxConcurrentDetections, CropSize, ScanSchedule,
        ExecutionProvider, MinFaceSize,
        MaxBytes, MaxPixels, MaxJpegScans, MinBytesPerMegapixel, MemoryBudgetMegabytes,
    ];

    /// <summary>
    /// Settings read by the Functions host, its extensions and the telemetry packages rather than by our code.
    /// In Azure every connection is identity-based (service URIs + the managed identity's client id), never a key.
    /// </summary>
    public static IReadOnlyList<string> Host { get; } =
    [
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "PhotoStorage__blobServiceUri",
        "PhotoStorage__queueServiceUri",
        "PhotoStorage__tableServiceUri",
        "PhotoStorage__credential",
        "PhotoStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    /// <summary>
    /// How many invocations the Functions host starts at once per instance, derived by the templates from
    /// <see cref="MaxConcurrentDetections"/> (N): N blob-triggered invocations, and per queue function a batch size and
    /// new-batch threshold that add up to N (the queue extension runs at most their sum). They override host.json, whose
    /// values are those of the default N = 2 for local runs; docs/deploy.md ("One knob for per-instance parallelism") has
    /// the arithmetic and its sources.
    /// </summary>
    public static IReadOnlyList<string> HostConcurrency { get; } = [HostBlobParallelism, HostQueueBatchSize, HostQueueNewBatchThreshold];

    /// <summary>
    /// Host settings only the Container Apps (gpu) hosting mode sets, each with its reason in
    /// infra/modules/function-gpu.bicep: Flex Consumption takes the runtime from its own configuration and keeps keys
    /// in blob storage by default, and rejects FUNCTIONS_WORKER_RUNTIME as an app setting.
    /// </summary>
    public static IReadOnlyList<string> ContainerHost { get; } =
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "AzureFunctionsJobHost__Logging__Console__IsEnabled",
        "AzureWebJobsSecretStorageType",
    ];

    /// <summary>The default container names; the templates create exactly these.</summary>
    public static IReadOnlyList<string> DefaultContainers { get; } = ["photos", "detections", "faces", "annotated", "anonymized"];
}

// FaceFunctions on Azure: one storage account for photos and results, one identity with the roles the app needs,
// monitoring, and the function app in one of two hosting modes (flex: Flex Consumption, CPU; gpu: Azure Functions
// on Azure Container Apps with a serverless GPU). The Event Grid subscription is created after deploy by
// infra/hooks/postdeploy.* (see docs/deploy.md). The app settings set here are exactly those listed in
// src/FaceFunctions.App/Configuration/SettingNames.cs (checked by tests/FaceFunctions.Infra.Tests).
targetScope = 'subscription'

import { gpuReplicaSizes } from 'modules/gpu-replica-sizes.bicep'

@description('azd environment name; names the resource group and seeds resource names.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Azure region for every resource. In gpu mode it must offer serverless GPUs (for example westus3, australiaeast, swedencentral).')
param location string

@description('flex: Flex Consumption plan (CPU). gpu: Azure Container Apps with a serverless GPU.')
@allowed(['flex', 'gpu'])
param hostingMode string = 'flex'

@description('flex: most instances the app may scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('flex: memory of each instance in MB. 2048 fits the 4000x3000 pyramid with room for concurrent photos.')
@allowed(['512', '2048', '4096'])
param instanceMemoryMB string = '2048'

@description('gpu: serverless GPU profile, NVIDIA T4 (NC8as) or A100 (NC24).')
@allowed(['Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100'])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('gpu: most replicas, each holding one GPU (bounded by your serverless GPU quota).')
@minValue(1)
@maxValue(100)
param gpuMaxReplicas int = 1

@description('gpu: image of the app in the registry, recorded by azd after it deploys one. Empty on the first provision.')
param gpuImage string = ''

@description('Write annotated copies (boxes drawn) to the annotated container.')
param writeAnnotated bool = false

@description('Write anonymized copies (faces blurred) to the anonymized container.')
param writeAnonymized bool = false

@description('Detections run at once per instance (1-256); bounds memory. The host\'s blob and queue parallelism are derived from it. Empty: 2 on flex, 8 on a GPU.')
param maxConcurrentDetections string = ''

@description('Decoded-photo memory one worker process may hold, in MB. Empty: the instance\'s memory less 512 MB, or 75 % of it if that is more (flex: instanceMemoryMB; gpu: the replica\'s memory).')
param memoryBudgetMegabytes string = ''

// cropSize, minFaceSize, maxBytes, maxPixels, maxJpegScans and minBytesPerMegapixel default to the detector's own
// defaults (OutputOptions, DetectionOptions, ImageLimits in src/FaceFunctions.Detection), with the same valid ranges.
@description('Edge in pixels of the aligned face crops.')
@minValue(16)
@maxValue(1024)
param cropSize int = 112

@description('Smallest face, in pixels, the detector looks for.')
@minValue(12)
@maxValue(100000)
param minFaceSize int = 20

@description('Largest photo accepted, in bytes; larger ones get an error document.')
@minValue(1)
param maxBytes int = 52428800

@description('Largest photo accepted, in pixels (width x height); larger ones get an error document. Lower it for 512 MB Flex instances.')
@minValue(1)
@maxValue(536870911)
param maxPixels int = 100000000

@description('Most scans a progressive JPEG may have; more get an error document.')
@minValue(1)
@maxValue(10000)
param maxJpegScans int = 100

@description('Fewest encoded bytes per declared megapixel; emptier files get an error document before decoding. 0: off.')
@minValue(0)
@maxValue(100000)
param minBytesPerMegapixel int = 512

@description('Object id of the user, group or service principal allowed to upload photos (Storage Blob Data Contributor on the photos container only). Defaults to the identity running the deployment; empty: nobody.')
param principalId string = deployer().objectId

@description('When the ScanPhotos timer scans the photos container for photos without current results (NCRONTAB, six fields, UTC). To turn it off, set the app setting AzureWebJobs.ScanPhotos.Disabled=true.')
param scanSchedule string = '0 0 3 * * *'

@description('Days deleted or overwritten blobs can be recovered.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int = 7

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var isFlex = hostingMode == 'flex'

// One knob for per-instance parallelism: N = maxConcurrentDetections, the detections the app runs at once, also
// bounds the invocations the host starts per trigger, so a trigger on its own never has invocations waiting on the
// app's cap and can use every slot of it. Blob trigger: maxDegreeOfParallelism = N (the Event Grid-sourced blob
// trigger runs through the blob extension's internal queue, whose listener the extension sizes from that setting).
// Queue triggers: the extension runs at most batchSize + newBatchThreshold messages per function, so
// batchSize = ceil(N / 2) (at most 32, the queue service's limit) and newBatchThreshold = N - batchSize.
// docs/deploy.md, "One knob for per-instance parallelism", has the arithmetic with its sources, and why the two
// triggers each get N rather than a share of it.
var detectionsPerInstance = int(!empty(maxConcurrentDetections) ? maxConcurrentDetections : (isFlex ? '2' : '8'))
var queueBatchSize = min(32, (detectionsPerInstance + 1) / 2)

// The memory one instance (flex) or replica (gpu) has. The decoded-photo budget is all of it but 512 MB by default: the
// process with no photo in flight, the uploads being read and the Functions host (ImageLimits.MemoryBudgetMegabytes
// says how the 512 MB were measured and reckoned); on an instance too small for that, three quarters of it.
var instanceMemoryMegabytes = isFlex ? int(instanceMemoryMB) : gpuReplicaSizes[gpuProfileType].memoryGiB * 1024

// Container names: the defaults of SettingNames.DefaultContainers, plus the deployment package (flex only) and
// the Event Grid dead-letter container.
var containers = {
  photos: 'photos'
  detections: 'detections'
  faces: 'faces'
  annotated: 'annotated'
  anonymized: 'anonymized'
}
var deploymentContainerName = 'deploymentpackage'
var deadLetterContainerName = 'eventgrid-deadletter'
// The blob extension's poison queue, created up front so it exists (and can be watched) before the first poison blob.
var poisonQueueName = 'webjobs-blobtrigger-poison'
// Bulk detection (ScanService in src/FaceFunctions.Storage): scan records, the step and photo queues with the
// poison queues the queue extension moves failed messages to, and the table of per-photo completions.
var scanContainerName = 'scans'
var scanQueueNames = ['scan-steps', 'scan-photos', 'scan-steps-poison', 'scan-photos-poison']
var scanTableName = 'scancompletions'

// Names are computed here, not taken from module outputs, so role assignment names and scopes are known before
// deployment (What-If can predict them).
var names = {
  identity: 'id-${token}'
  workspace: 'log-${token}'
  appInsights: 'appi-${token}'
  storage: 'st${token}'
  registry: 'cr${token}'
  flexApp: 'func-${token}'
  flexPlan: 'plan-${token}'
  gpuApp: 'ca-${token}'
  gpuEnvironment: 'cae-${token}'
  systemTopic: 'evgt-${token}'
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    containerNames: concat(
      [containers.photos, containers.detections, containers.faces, containers.annotated, containers.anonymized],
      isFlex ? [deploymentContainerName] : [],
      [deadLetterContainerName, scanContainerName]
    )
    queueNames: concat([poisonQueueName], scanQueueNames)
    tableNames: [scanTableName]
    softDeleteRetentionDays: softDeleteRetentionDays
  }
}

module registry 'modules/container-registry.bicep' = if (!isFlex) {
  scope: rg
  params: {
    name: names.registry
    location: location
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  scope: rg
  dependsOn: [identity, storage, monitoring, registry]
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    appInsightsName: names.appInsights
    containerRegistryName: isFlex ? '' : names.registry
    photosContainerName: containers.photos
    uploaderPrincipalId: principalId
  }
}

// Every setting the app reads (SettingNames.App), every setting the host reads (SettingNames.Host) and the host's
// parallelism derived from maxConcurrentDetections (SettingNames.HostConcurrency), nothing else.
var appSettings = {
  FaceFunctions__PhotosContainer: containers.photos
  FaceFunctions__DetectionsContainer: containers.detections
  FaceFunctions__FacesContainer: containers.faces
  FaceFunctions__AnnotatedContainer: containers.annotated
  FaceFunctions__AnonymizedContainer: containers.anonymized
  FaceFunctions__WriteAnnotated: writeAnnotated ? 'true' : 'false'
  FaceFunctions__WriteAnonymized: writeAnonymized ? 'true' : 'false'
  FaceFunctions__MaxConcurrentDetections: string(detectionsPerInstance)
  FaceFunctions__CropSize: string(cropSize)
  FaceFunctions__ScanSchedule: scanSchedule
  // Flex has no GPU: say cpu rather than auto, so no start-up is spent probing for CUDA. The GPU image must use it.
  Detection__ExecutionProvider: isFlex ? 'cpu' : 'cuda'
  Detection__MinFaceSize: string(minFaceSize)
  ImageLimits__MaxBytes: string(maxBytes)
  ImageLimits__MaxPixels: string(maxPixels)
  ImageLimits__MaxJpegScans: string(maxJpegScans)
  ImageLimits__MinBytesPerMegapixel: string(minBytesPerMegapixel)
  ImageLimits__MemoryBudgetMegabytes: !empty(memoryBudgetMegabytes) ? memoryBudgetMegabytes : string(max(instanceMemoryMegabytes - 512, instanceMemoryMegabytes * 3 / 4))
  AzureFunctionsJobHost__extensions__blobs__maxDegreeOfParallelism: string(detectionsPerInstance)
  AzureFunctionsJobHost__extensions__queues__batchSize: string(queueBatchSize)
  AzureFunctionsJobHost__extensions__queues__newBatchThreshold: string(detectionsPerInstance - queueBatchSize)
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  PhotoStorage__blobServiceUri: storage.outputs.blobEndpoint
  PhotoStorage__queueServiceUri: storage.outputs.queueEndpoint
  PhotoStorage__tableServiceUri: storage.outputs.tableEndpoint
  PhotoStorage__credential: 'managedidentity'
  PhotoStorage__clientId: identity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identity.outputs.clientId}'
}

module flexApp 'modules/function-flex.bicep' = if (isFlex) {
  scope: rg
  dependsOn: [roles]
  params: {
    name: names.flexApp
    planName: names.flexPlan
    location: location
    tags: tags
    identityId: identity.outputs.id
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: int(instanceMemoryMB)
    appSettings: appSettings
  }
}

module gpuApp 'modules/function-gpu.bicep' = if (!isFlex) {
  scope: rg
  dependsOn: [roles]
  params: {
    name: names.gpuApp
    environmentName: names.gpuEnvironment
    location: location
    tags: tags
    gpuProfileType: gpuProfileType
    identityId: identity.outputs.id
    registryServer: registry!.outputs.loginServer
    image: gpuImage
    maxReplicas: gpuMaxReplicas
    workspaceId: monitoring.outputs.workspaceId
    appSettings: appSettings
  }
}

module eventGridTopic 'modules/eventgrid-topic.bicep' = {
  scope: rg
  dependsOn: [storage]
  params: {
    name: names.systemTopic
    location: location
    tags: tags
    storageAccountName: names.storage
    deadLetterContainerName: deadLetterContainerName
  }
}

// Read by azd (into .azure/<env>/.env) and by the hooks.
output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output HOSTING_MODE string = hostingMode
output APP_NAME string = isFlex ? flexApp!.outputs.name : gpuApp!.outputs.name
output APP_HOST_NAME string = isFlex ? flexApp!.outputs.hostName : gpuApp!.outputs.hostName
output AZURE_CONTAINER_REGISTRY_NAME string = isFlex ? '' : registry!.outputs.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = isFlex ? '' : registry!.outputs.loginServer
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output PHOTOS_CONTAINER string = containers.photos
output DEADLETTER_CONTAINER string = deadLetterContainerName
output EVENTGRID_SYSTEM_TOPIC_NAME string = eventGridTopic.outputs.name

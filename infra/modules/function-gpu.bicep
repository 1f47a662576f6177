// The GPU hosting mode: Azure Functions on Azure Container Apps. The app is a Microsoft.App/containerApps resource
// of kind 'functionapp' (the native integration, recommended over the older Microsoft.Web/sites with
// managedEnvironmentId), running on a serverless GPU workload profile that scales to zero.

import { gpuReplicaSizes } from 'gpu-replica-sizes.bicep'

@description('Name of the container app.')
param name string

@description('Name of the Container Apps environment.')
param environmentName string

@description('Azure region (must offer serverless GPUs, for example westus3, australiaeast, swedencentral).')
param location string

@description('Tags for the resources; the app also gets the azd service tag.')
param tags object

@description('Serverless GPU workload profile type.')
@allowed(['Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100'])
param gpuProfileType string

@description('Resource id of the app\'s user-assigned identity.')
param identityId string

@description('Login server of the registry the image is pulled from.')
param registryServer string

@description('Image to run. Empty until azd has built and deployed the app image; a bare Functions host runs meanwhile.')
param image string

@description('Most replicas (each one holds one GPU).')
@minValue(1)
@maxValue(100)
param maxReplicas int

@description('Log Analytics workspace that receives the environment\'s logs through a diagnostic setting.')
param workspaceId string

@description('App settings, as a name-to-value object.')
param appSettings object

// Until azd has pushed the app image, run the plain Functions host image so the app can be created.
var placeholderImage = 'mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0'

// Settings the Functions host needs on Container Apps only (Flex takes the runtime from functionAppConfig and keeps
// keys in blob storage by default); SettingNames.ContainerHost lists the same three.
var containerHostSettings = {
  // As Microsoft's Functions-on-Container-Apps samples set them: the worker runtime explicitly (not only through
  // the base image), and host logs on the console, where Container Apps collects them (az containerapp logs show).
  FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
  AzureFunctionsJobHost__Logging__Console__IsEnabled: 'true'
  // Where the host keeps its keys. Functions on Container Apps default to the Container Apps secret store
  // ("containerapp"), which the host only reads: it never generates a key there (Learn: "Configure Functions host
  // key storage on Azure Container Apps"; azure-functions-host ContainerAppsSecretsRepository.WriteAsync throws).
  // The blob extension's system key (blobs_extension), which the Event Grid webhook URL carries, would then never
  // exist. "blob" is a backend that page lists for Container Apps and the only one that generates keys: they go to
  // the azure-webjobs-secrets container of the AzureWebJobsStorage account, reached with the same identity-based
  // connection, whose identity already holds Storage Blob Data Owner there (roles.bicep).
  AzureWebJobsSecretStorageType: 'blob'
}

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Logs go through Azure Monitor diagnostic settings, which need no workspace shared key (local auth is off).
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    // The serverless GPU profile next to the Consumption one. A GPU profile can also be added to an existing
    // environment later (az containerapp env workload-profile add); this module creates both at once.
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: 'gpu'
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: name
  location: location
  // azd finds the service's resource by this tag; only one hosting mode exists per resource group.
  tags: union(tags, { 'azd-service-name': 'app' })
  kind: 'functionapp'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'gpu'
    configuration: {
      activeRevisionsMode: 'Single'
      // Ingress is required: Event Grid delivers to the blob extension's webhook, and HTTP traffic is what wakes
      // the app from zero replicas.
      ingress: {
        external: true
        targetPort: 80
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'app'
          image: empty(image) ? placeholderImage : image
          env: [for setting in items(union(appSettings, containerHostSettings)): { name: setting.key, value: setting.value }]
          resources: {
            cpu: gpuReplicaSizes[gpuProfileType].cpu
            memory: '${gpuReplicaSizes[gpuProfileType].memoryGiB}Gi'
          }
        }
      ]
      scale: {
        // Scale to zero: an idle deployment holds no GPU and costs nothing for compute. The post-deploy hook holds one
        // replica while it reads the key and Event Grid validates the subscription, then sets this back to 0.
        minReplicas: 0
        maxReplicas: maxReplicas
      }
    }
  }
}

output name string = app.name
output hostName string = app.properties.configuration.ingress.fqdn

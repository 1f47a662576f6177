// Role assignments for the app's identity, each scoped as narrowly as the app allows, and the one data role of the
// person (or pipeline) who uploads photos.

@description('Name of the app\'s user-assigned identity.')
param identityName string

@description('Name of the storage account that holds photos, results and host state.')
param storageAccountName string

@description('Name of the Application Insights component the app reports to.')
param appInsightsName string

@description('Name of the container registry the GPU app pulls from; empty in flex mode.')
param containerRegistryName string = ''

@description('Container photos are uploaded to.')
param photosContainerName string

@description('Object id of the principal that uploads photos (user, group or service principal); empty: none.')
param uploaderPrincipalId string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0fdd7049'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  acrPull: '7f951dfd-4ca6-4b38-9b4d-4b0a8fff0a7d'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

// Assignment names are derived from the identity's resource id (known before deployment), not its principal id.
var principalId = identity.properties.principalId

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' existing = {
  parent: storage
  name: 'default'
}

resource photos 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = {
  parent: blobService
  name: photosContainerName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' existing = if (!empty(containerRegistryName)) {
  name: containerRegistryName
}

// Owner rather than Contributor: the Functions host manages blob leases and the azure-webjobs-* containers, and
// the results writer deletes stale crops; Owner is what the Functions documentation requires for AzureWebJobsStorage.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

// The blob extension needs the queue service as well: it writes poison-blob messages to a queue
// (webjobs-blobtrigger-poison) and checks queue access at start-up, even with the Event Grid source. Bulk
// detection uses the same role: scans send and the queue triggers receive, delete and poison messages on
// scan-steps and scan-photos.
resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

// The Functions host writes its diagnostic events to table storage through AzureWebJobsStorage__tableServiceUri,
// and scans record each completed photo as a row of the scancompletions table (PhotoStorage__tableServiceUri);
// without this role every such write is refused. It grants no access to photos or results (those are blobs).
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

// Needed because Application Insights has local auth disabled: telemetry is accepted only with an Entra token of a
// principal holding this role on the component (APPLICATIONINSIGHTS_AUTHENTICATION_STRING names the identity).
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// Extra role (gpu mode only), with its reason: the container app pulls its image from the registry as this
// identity, because the registry's admin user is disabled.
resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(containerRegistryName)) {
  name: guid(registry.id, identity.id, roles.acrPull)
  scope: registry
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
  }
}

// The uploader's role: with shared keys disabled, `az storage blob upload --auth-mode login` needs a data role, and
// without this one the first upload after `azd up` is refused (403) until someone grants it by hand. Contributor
// (read, write, delete) on the photos container only: the uploader cannot read or change results, host state or keys.
// principalType is left out on purpose: the deployer may be a user or a pipeline's service principal, and a wrong
// type fails the assignment, while the type only speeds up assignments to principals created moments before.
resource uploader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(uploaderPrincipalId)) {
  name: guid(photos.id, uploaderPrincipalId, roles.storageBlobDataContributor)
  scope: photos
  properties: {
    principalId: uploaderPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

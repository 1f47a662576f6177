// The Event Grid system topic of the storage account. It is created at provision time; its subscription to the
// app's webhook is created after the code is deployed (eventgrid-subscription.bicep, run by the azd hook),
// because the webhook URL carries the blob extension's system key, which exists only once the host has started.

@description('Name of the system topic.')
param name string

@description('Azure region (the storage account\'s).')
param location string

@description('Tags for the resource.')
param tags object

@description('Name of the storage account whose events the topic publishes.')
param storageAccountName string

@description('Container that receives events Event Grid could not deliver.')
param deadLetterContainerName string

// Storage Blob Data Contributor, granted to the topic's own identity on the dead-letter container only.
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0fdd7049'

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  // Dead-lettering uses the topic's system identity rather than the app's: the app's identity owns all data in the
  // account, while the topic needs to write one container and nothing else (least privilege).
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::deadLetterContainer.id, topic.id, storageBlobDataContributor)
  scope: storage::blobService::deadLetterContainer
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

output name string = topic.name

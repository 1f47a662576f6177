// The Event Grid subscription that feeds the blob trigger. Deployed by infra/hooks/postdeploy.* with
// `az deployment group create` once the app is running, because its endpoint URL contains the blob extension's
// system key. Kept as a template (not CLI flags) so its filters are linted and tested like the rest.

@description('Name of the storage account\'s Event Grid system topic.')
param systemTopicName string

@description('Name of the subscription.')
param name string = 'photos-to-detectfaces'

@description('Host name of the function app (no scheme).')
param appHostName string

@description('The blob extension\'s system key (blobs_extension).')
@secure()
param blobsExtensionKey string

@description('Function the blob extension routes events to (Host.Functions.<name>).')
param functionName string = 'Host.Functions.DetectFaces'

@description('Container whose new blobs trigger detection.')
param photosContainerName string

@description('Storage account that holds the dead-letter container.')
param storageAccountName string

@description('Container for events that could not be delivered.')
param deadLetterContainerName string

@description('Delivery attempts before an event is dead-lettered.')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int = 30

@description('Minutes an event is retried before it is dead-lettered. A day covers a cold GPU start and a redeploy.')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int = 1440

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: name
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The URL is built from the @secure() key, so the key never appears in deployment inputs or history, and
        // Event Grid returns only the URL's base when the subscription is read back.
        #disable-next-line use-secure-value-for-secure-inputs
        endpointUrl: 'https://${appHostName}/runtime/webhooks/blobs?functionName=${functionName}&code=${blobsExtensionKey}'
        // One event per request: each photo is its own invocation, retried on its own.
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    // The blob extension reads the Event Grid schema.
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      // Only blobs of the photos container; results written to the other containers must not trigger detection.
      subjectBeginsWith: '/blobServices/default/containers/${photosContainerName}/blobs/'
      isSubjectCaseSensitive: false
      // Advanced filters are ANDed. They drop the extra BlobCreated events one upload can raise, where the event
      // data tells them apart; the function stays idempotent per ETag for the duplicates no filter can see.
      advancedFilters: [
        {
          // Only the calls that commit a whole blob: PutBlob (single-shot upload), PutBlockList (commit of a
          // block upload), CopyBlob (server-side copy) and FlushWithClose (final flush of a Data Lake write).
          // This drops CreateFile, which Data Lake (hierarchical namespace) clients raise for the empty file
          // before its data is flushed, so such an upload would otherwise trigger twice, once on an empty blob.
          operatorType: 'StringIn'
          key: 'data.api'
          values: [
            'PutBlob'
            'PutBlockList'
            'CopyBlob'
            'FlushWithClose'
          ]
        }
        {
          // Zero-length blobs are placeholders (folder markers written by storage explorers and sync tools, the
          // empty file of a two-step upload), never photos; detection would only write an error document.
          operatorType: 'NumberGreaterThan'
          key: 'data.contentLength'
          value: 0
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
    // Undeliverable events are kept, written by the topic's own identity (Storage Blob Data Contributor on this
    // container only), so no account key or SAS is needed.
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

output name string = subscription.name

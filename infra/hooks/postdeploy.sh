#!/usr/bin/env bash
# azd post-deploy hook: subscribes the blob trigger to the storage account's Event Grid system topic.
#
# Why here and not in main.bicep: the subscription's endpoint is the blob extension's webhook, whose URL carries the
# extension's system key (blobs_extension). The Functions host creates that key the first time it starts with the
# code deployed, so it cannot exist at provision time; after `azd deploy` it does. The subscription itself is the
# template infra/modules/eventgrid-subscription.bicep (linted and tested with the rest), deployed here with the key.
#
# Needs: Azure CLI logged in (azd's login is not shared with az: run `az login` once); in gpu mode the hook installs
# the containerapp CLI extension. Values come from the azd environment (main.bicep outputs).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
function_name='Host.Functions.DetectFaces'
mode="${HOSTING_MODE:-flex}"
for name in AZURE_RESOURCE_GROUP APP_NAME APP_HOST_NAME STORAGE_ACCOUNT_NAME PHOTOS_CONTAINER DEADLETTER_CONTAINER EVENTGRID_SYSTEM_TOPIC_NAME; do
  if [ -z "${!name:-}" ]; then
    echo "postdeploy: $name is not set; run 'azd provision' first." >&2
    exit 1
  fi
done

flex_key() {
  az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" \
    --query 'systemKeys.blobs_extension' --output tsv 2>/dev/null || true
}

# Functions on Container Apps: the keys API answers only while a replica runs (unverified beyond the
# documentation of `az containerapp function keys`), and the output shape is taken from either form.
gpu_key() {
  az containerapp function keys show --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" \
    --key-type systemKey --key-name blobs_extension --query 'value || properties.value' --output tsv 2>/dev/null || true
}

restore_scale_to_zero() {
  az containerapp update --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" --min-replicas 0 --output none
}

if [ "$mode" = "gpu" ]; then
  # The function keys commands live in the containerapp extension; install it up front, since the CLI's own
  # on-demand install asks a question this non-interactive hook cannot answer.
  az extension add --name containerapp --upgrade --only-show-errors
  # Hold one replica (and so one GPU) only while the key is read, then return to scale-to-zero whatever happens.
  echo "postdeploy: starting one replica of $APP_NAME to read its system key"
  az containerapp update --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" --min-replicas 1 --output none
  trap restore_scale_to_zero EXIT
fi

key=''
for attempt in $(seq 1 30); do
  if [ "$mode" = "gpu" ]; then key="$(gpu_key)"; else key="$(flex_key)"; fi
  if [ -n "$key" ]; then break; fi
  echo "postdeploy: blobs_extension key not there yet (attempt $attempt/30); the host creates it on first start"
  sleep 10
done
if [ -z "$key" ]; then
  echo "postdeploy: no blobs_extension system key on $APP_NAME after 5 minutes. Check that the app started" >&2
  echo "(Application Insights, or 'az containerapp logs show' in gpu mode), then run 'azd hooks run postdeploy'." >&2
  exit 1
fi

# The key goes to az in a parameters file readable only by this user, never on a command line.
parameters="$(mktemp)"
trap 'rm -f "$parameters"; if [ "$mode" = "gpu" ]; then restore_scale_to_zero; fi' EXIT
chmod 600 "$parameters"
cat > "$parameters" <<JSON
{
  "\$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "systemTopicName": { "value": "$EVENTGRID_SYSTEM_TOPIC_NAME" },
    "appHostName": { "value": "$APP_HOST_NAME" },
    "blobsExtensionKey": { "value": "$key" },
    "functionName": { "value": "$function_name" },
    "photosContainerName": { "value": "$PHOTOS_CONTAINER" },
    "storageAccountName": { "value": "$STORAGE_ACCOUNT_NAME" },
    "deadLetterContainerName": { "value": "$DEADLETTER_CONTAINER" }
  }
}
JSON

echo "postdeploy: subscribing $function_name to BlobCreated events of container '$PHOTOS_CONTAINER'"
az deployment group create --resource-group "$AZURE_RESOURCE_GROUP" --name eventgrid-subscription \
  --template-file "$repo_root/infra/modules/eventgrid-subscription.bicep" \
  --parameters "@$parameters" --output none
echo "postdeploy: done. Upload a photo to '$PHOTOS_CONTAINER' in $STORAGE_ACCOUNT_NAME to run detection."

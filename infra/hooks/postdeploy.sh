#!/usr/bin/env bash
# azd post-deploy hook: subscribes the blob trigger to the storage account's Event Grid system topic.
#
# Why here and not in main.bicep: the subscription's endpoint is the blob extension's webhook, whose URL carries the
# extension's system key (blobs_extension). The Functions host creates that key the first time it starts with the
# code deployed (in blob storage, azure-webjobs-secrets: see AzureWebJobsSecretStorageType in function-gpu.bicep), so
# it cannot exist at provision time; after `azd deploy` it does. The subscription itself is the template
# infra/modules/eventgrid-subscription.bicep (linted and tested with the rest), deployed here with the key.
#
# Needs: Azure CLI logged in (azd's login is not shared with az: run `az login` once); in gpu mode the hook installs
# the containerapp CLI extension. Values come from the azd environment (main.bicep outputs).
#
# Every az error is shown as az wrote it. Prerequisites (login, extension, resource group, app) are checked first, so
# a missing login or a wrong resource group ends the hook at once instead of looking like a key not created yet.
# postdeploy.ps1 does the same steps for Windows; keep the two in step.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
function_name='Host.Functions.DetectFaces'
mode="${HOSTING_MODE:-flex}"
key_attempts=30
key_wait_seconds=10
subscribe_attempts=5
subscribe_wait_seconds=30
for name in AZURE_RESOURCE_GROUP APP_NAME APP_HOST_NAME STORAGE_ACCOUNT_NAME PHOTOS_CONTAINER DEADLETTER_CONTAINER EVENTGRID_SYSTEM_TOPIC_NAME; do
  if [ -z "${!name:-}" ]; then
    echo "postdeploy: $name is not set; run 'azd provision' first." >&2
    exit 1
  fi
done

az_errors="$(mktemp)"
parameters=''
scaled_up=0
# azd records the subscription it deployed to; az must look there too, whatever az's own default is.
subscription=()
if [ -n "${AZURE_SUBSCRIPTION_ID:-}" ]; then
  subscription=(--subscription "$AZURE_SUBSCRIPTION_ID")
fi

restore_scale_to_zero() {
  if ! az containerapp update --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" "${subscription[@]}" \
      --min-replicas 0 --output none 2>"$az_errors"; then
    echo "postdeploy: WARNING: could not return $APP_NAME to zero replicas, so it keeps holding a GPU:" >&2
    sed 's/^/  /' "$az_errors" >&2
    echo "  Run: az containerapp update --resource-group $AZURE_RESOURCE_GROUP --name $APP_NAME --min-replicas 0" >&2
  fi
}

cleanup() {
  if [ -n "$parameters" ]; then rm -f "$parameters"; fi
  if [ "$scaled_up" = 1 ]; then restore_scale_to_zero; fi
  rm -f "$az_errors"
}
trap cleanup EXIT

# Ends the hook with what az said, after a line saying what was being done and how to fix the usual cause.
fail_with_az_errors() {
  echo "postdeploy: $1" >&2
  sed 's/^/  /' "$az_errors" >&2
  if [ -n "${2:-}" ]; then echo "$2" >&2; fi
  exit 1
}

# require <what> <hint> <az arguments...>: runs az, and ends the hook with az's own error if it fails.
require() {
  local what="$1" hint="$2"
  shift 2
  if ! az "$@" --output none 2>"$az_errors"; then
    fail_with_az_errors "$what failed:" "$hint"
  fi
}

# --- Prerequisites, each failing at once with the real cause ---
if ! command -v az >/dev/null 2>&1; then
  echo "postdeploy: the Azure CLI (az) is not installed or not on PATH; see https://aka.ms/azcli." >&2
  exit 1
fi
require "checking the Azure CLI login ('az account show')" \
  "Log the Azure CLI in with 'az login' (azd's login is not shared with az), then run 'azd hooks run postdeploy'." \
  account show "${subscription[@]}"
if [ "$mode" = "gpu" ]; then
  # The function keys commands live in the containerapp extension; install it up front, since the CLI's own
  # on-demand install asks a question this non-interactive hook cannot answer.
  require "installing the containerapp extension of the Azure CLI" \
    "Install it by hand with 'az extension add --name containerapp', then run 'azd hooks run postdeploy'." \
    extension add --name containerapp --upgrade --only-show-errors
fi
require "finding resource group $AZURE_RESOURCE_GROUP" \
  "Is az logged in to the subscription azd deployed to? Compare 'az account show' with 'azd env get-values'." \
  group show --name "$AZURE_RESOURCE_GROUP" "${subscription[@]}"
if [ "$mode" = "gpu" ]; then
  require "finding container app $APP_NAME" "Run 'azd provision' (from infra/gpu) first." \
    containerapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" "${subscription[@]}"
else
  require "finding function app $APP_NAME" "Run 'azd provision' first." \
    functionapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" "${subscription[@]}"
fi

# --- The key ---
read_key() {
  if [ "$mode" = "gpu" ]; then
    # Functions on Container Apps answer the keys API only while a replica runs; the output shape is taken from
    # either form (unverified beyond the documentation of `az containerapp function keys`).
    az containerapp function keys show --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" "${subscription[@]}" \
      --key-type systemKey --key-name blobs_extension --query 'value || properties.value' --output tsv 2>"$az_errors"
  else
    az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" "${subscription[@]}" \
      --query 'systemKeys.blobs_extension' --output tsv 2>"$az_errors"
  fi
}

if [ "$mode" = "gpu" ]; then
  # One replica (and so one GPU) is held while the key is read and while Event Grid validates the subscription
  # against the webhook, then the app returns to scale-to-zero whatever happens (cleanup).
  echo "postdeploy: starting one replica of $APP_NAME for the key and the subscription's validation"
  require "starting a replica of $APP_NAME" "" \
    containerapp update --resource-group "$AZURE_RESOURCE_GROUP" --name "$APP_NAME" "${subscription[@]}" --min-replicas 1
  scaled_up=1
fi

key=''
for attempt in $(seq 1 "$key_attempts"); do
  if key="$(read_key)" && [ -n "$key" ]; then break; fi
  key=''
  reason="$(grep -v '^[[:space:]]*$' "$az_errors" | tail -n 1 || true)"
  echo "postdeploy: no blobs_extension key yet (attempt $attempt/$key_attempts): ${reason:-the host has not created it; it does on first start}"
  sleep "$key_wait_seconds"
done
if [ -z "$key" ]; then
  if [ -s "$az_errors" ]; then
    fail_with_az_errors "no blobs_extension system key on $APP_NAME after $((key_attempts * key_wait_seconds)) s; az's last answer:" \
      "Check that the app started (Application Insights, or 'az containerapp logs show' in gpu mode), then run 'azd hooks run postdeploy'."
  fi
  echo "postdeploy: no blobs_extension system key on $APP_NAME after $((key_attempts * key_wait_seconds)) s, though az answered." >&2
  echo "Check that the app started (Application Insights, or 'az containerapp logs show' in gpu mode), then run 'azd hooks run postdeploy'." >&2
  exit 1
fi

# --- The subscription ---
# The key goes to az in a parameters file readable only by this user, never on a command line.
parameters="$(mktemp)"
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
for attempt in $(seq 1 "$subscribe_attempts"); do
  if az deployment group create --resource-group "$AZURE_RESOURCE_GROUP" "${subscription[@]}" --name eventgrid-subscription \
      --template-file "$repo_root/infra/modules/eventgrid-subscription.bicep" \
      --parameters "@$parameters" --output none 2>"$az_errors"; then
    echo "postdeploy: done. Upload a photo to '$PHOTOS_CONTAINER' in $STORAGE_ACCOUNT_NAME to run detection."
    exit 0
  fi
  # Event Grid validates the endpoint when the subscription is created; an instance still starting (scaled from
  # zero, or just deployed) can miss that handshake. Only that failure is retried: any other is final.
  if ! grep -qi 'validation handshake\|validate the provided endpoint\|endpoint validation' "$az_errors"; then
    fail_with_az_errors "creating the Event Grid subscription failed:" ""
  fi
  if [ "$attempt" -lt "$subscribe_attempts" ]; then
    echo "postdeploy: Event Grid could not validate the webhook yet (attempt $attempt/$subscribe_attempts); the app may still be starting. Retrying in $subscribe_wait_seconds s."
    sleep "$subscribe_wait_seconds"
  fi
done
fail_with_az_errors "Event Grid could not validate https://$APP_HOST_NAME/runtime/webhooks/blobs after $subscribe_attempts attempts:" \
  "Check that the app runs and answers there, then run 'azd hooks run postdeploy'."

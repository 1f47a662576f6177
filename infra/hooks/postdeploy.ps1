# azd post-deploy hook (Windows): the same steps as postdeploy.sh, which explains why this runs after deploy.
# Subscribes the blob trigger to the storage account's Event Grid system topic with the blob extension's system key.
$ErrorActionPreference = 'Stop'

$repoRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
$functionName = 'Host.Functions.DetectFaces'
$mode = if ($env:HOSTING_MODE) { $env:HOSTING_MODE } else { 'flex' }
foreach ($name in 'AZURE_RESOURCE_GROUP', 'APP_NAME', 'APP_HOST_NAME', 'STORAGE_ACCOUNT_NAME', 'PHOTOS_CONTAINER', 'DEADLETTER_CONTAINER', 'EVENTGRID_SYSTEM_TOPIC_NAME') {
    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "postdeploy: $name is not set; run 'azd provision' first." }
}
$rg = $env:AZURE_RESOURCE_GROUP
$app = $env:APP_NAME

function Get-BlobsExtensionKey {
    if ($mode -eq 'gpu') {
        # Functions on Container Apps answer the keys API only while a replica runs (unverified beyond the docs).
        az containerapp function keys show --resource-group $rg --name $app --key-type systemKey --key-name blobs_extension --query 'value || properties.value' --output tsv 2>$null
    } else {
        az functionapp keys list --resource-group $rg --name $app --query 'systemKeys.blobs_extension' --output tsv 2>$null
    }
}

$parameters = $null
try {
    if ($mode -eq 'gpu') {
        # The function keys commands live in the containerapp extension; install it without the CLI's prompt.
        az extension add --name containerapp --upgrade --only-show-errors
        Write-Host "postdeploy: starting one replica of $app to read its system key"
        az containerapp update --resource-group $rg --name $app --min-replicas 1 --output none
    }

    $key = ''
    foreach ($attempt in 1..30) {
        $key = Get-BlobsExtensionKey
        if ($key) { break }
        Write-Host "postdeploy: blobs_extension key not there yet (attempt $attempt/30); the host creates it on first start"
        Start-Sleep -Seconds 10
    }
    if (-not $key) { throw "postdeploy: no blobs_extension system key on $app after 5 minutes; check the app started, then run 'azd hooks run postdeploy'." }

    # The key goes to az in a parameters file, never on a command line.
    $parameters = New-TemporaryFile
    @{
        '$schema'      = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#'
        contentVersion = '1.0.0.0'
        parameters     = @{
            systemTopicName         = @{ value = $env:EVENTGRID_SYSTEM_TOPIC_NAME }
            appHostName             = @{ value = $env:APP_HOST_NAME }
            blobsExtensionKey       = @{ value = $key }
            functionName            = @{ value = $functionName }
            photosContainerName     = @{ value = $env:PHOTOS_CONTAINER }
            storageAccountName      = @{ value = $env:STORAGE_ACCOUNT_NAME }
            deadLetterContainerName = @{ value = $env:DEADLETTER_CONTAINER }
        }
    } | ConvertTo-Json -Depth 5 | Set-Content -Path $parameters -Encoding utf8

    Write-Host "postdeploy: subscribing $functionName to BlobCreated events of container '$($env:PHOTOS_CONTAINER)'"
    az deployment group create --resource-group $rg --name eventgrid-subscription `
        --template-file (Join-Path $repoRoot 'infra/modules/eventgrid-subscription.bicep') `
        --parameters "@$parameters" --output none
    if ($LASTEXITCODE -ne 0) { throw 'postdeploy: az deployment group create failed.' }
}
finally {
    if ($parameters) { Remove-Item $parameters -ErrorAction SilentlyContinue }
    if ($mode -eq 'gpu') { az containerapp update --resource-group $rg --name $app --min-replicas 0 --output none }
}

# azd post-deploy hook (Windows): the same steps as postdeploy.sh, which explains why this runs after deploy.
# Subscribes the blob trigger to the storage account's Event Grid system topic with the blob extension's system key.
# Every az error is shown as az wrote it, and the prerequisites (login, extension, resource group, app) are checked
# first. Keep the two scripts in step.
$ErrorActionPreference = 'Stop'

$repoRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
$functionName = 'Host.Functions.DetectFaces'
$mode = if ($env:HOSTING_MODE) { $env:HOSTING_MODE } else { 'flex' }
$keyAttempts = 30
$keyWaitSeconds = 10
$subscribeAttempts = 5
$subscribeWaitSeconds = 30
foreach ($name in 'AZURE_RESOURCE_GROUP', 'APP_NAME', 'APP_HOST_NAME', 'STORAGE_ACCOUNT_NAME', 'PHOTOS_CONTAINER', 'DEADLETTER_CONTAINER', 'EVENTGRID_SYSTEM_TOPIC_NAME') {
    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "postdeploy: $name is not set; run 'azd provision' first." }
}
$rg = $env:AZURE_RESOURCE_GROUP
$app = $env:APP_NAME
# azd records the subscription it deployed to; az must look there too, whatever az's own default is.
$subscription = if ($env:AZURE_SUBSCRIPTION_ID) { @('--subscription', $env:AZURE_SUBSCRIPTION_ID) } else { @() }

# Runs az and returns its output; az's error output is kept in $script:azErrors, and $LASTEXITCODE is az's.
function Invoke-Az {
    $errorFile = New-TemporaryFile
    try {
        $output = & az @args 2> $errorFile
        $script:azErrors = (Get-Content -Raw $errorFile)
        return $output
    }
    finally { Remove-Item $errorFile -ErrorAction SilentlyContinue }
}

# Ends the hook with what az said, after a line saying what was being done and how to fix the usual cause.
# Written line by line to the error stream and ended with exit (finally blocks still run), not thrown: PowerShell's
# error view would fold az's lines into one.
function Stop-WithAzErrors([string] $what, [string] $hint) {
    [Console]::Error.WriteLine("postdeploy: $what")
    $script:azErrors -split "`n" | Where-Object { $_.Trim() } | ForEach-Object { [Console]::Error.WriteLine("  $($_.TrimEnd())") }
    if ($hint) { [Console]::Error.WriteLine($hint) }
    exit 1
}

# Runs az and ends the hook with az's own error if it fails.
function Assert-Az([string] $what, [string] $hint, [string[]] $azArguments) {
    Invoke-Az @azArguments --output none | Out-Null
    if ($LASTEXITCODE -ne 0) { Stop-WithAzErrors "$what failed:" $hint }
}

function Get-BlobsExtensionKey {
    if ($mode -eq 'gpu') {
        # Functions on Container Apps answer the keys API only while a replica runs (unverified beyond the docs).
        Invoke-Az containerapp function keys show --resource-group $rg --name $app @subscription --key-type systemKey --key-name blobs_extension --query 'value || properties.value' --output tsv
    }
    else {
        Invoke-Az functionapp keys list --resource-group $rg --name $app @subscription --query 'systemKeys.blobs_extension' --output tsv
    }
}

# --- Prerequisites, each failing at once with the real cause ---
if (-not (Get-Command az -ErrorAction SilentlyContinue)) { throw 'postdeploy: the Azure CLI (az) is not installed or not on PATH; see https://aka.ms/azcli.' }
Assert-Az "checking the Azure CLI login ('az account show')" "Log the Azure CLI in with 'az login' (azd's login is not shared with az), then run 'azd hooks run postdeploy'." (@('account', 'show') + $subscription)
if ($mode -eq 'gpu') {
    # The function keys commands live in the containerapp extension; install it without the CLI's prompt.
    Assert-Az 'installing the containerapp extension of the Azure CLI' "Install it by hand with 'az extension add --name containerapp', then run 'azd hooks run postdeploy'." @('extension', 'add', '--name', 'containerapp', '--upgrade', '--only-show-errors')
}
Assert-Az "finding resource group $rg" "Is az logged in to the subscription azd deployed to? Compare 'az account show' with 'azd env get-values'." (@('group', 'show', '--name', $rg) + $subscription)
if ($mode -eq 'gpu') {
    Assert-Az "finding container app $app" "Run 'azd provision' (from infra/gpu) first." (@('containerapp', 'show', '--resource-group', $rg, '--name', $app) + $subscription)
}
else {
    Assert-Az "finding function app $app" "Run 'azd provision' first." (@('functionapp', 'show', '--resource-group', $rg, '--name', $app) + $subscription)
}

$parameters = $null
$scaledUp = $false
try {
    if ($mode -eq 'gpu') {
        # One replica (one GPU) is held while the key is read and while Event Grid validates the subscription.
        Write-Host "postdeploy: starting one replica of $app for the key and the subscription's validation"
        Assert-Az "starting a replica of $app" '' (@('containerapp', 'update', '--resource-group', $rg, '--name', $app, '--min-replicas', '1') + $subscription)
        $scaledUp = $true
    }

    $key = ''
    foreach ($attempt in 1..$keyAttempts) {
        $key = Get-BlobsExtensionKey
        if ($LASTEXITCODE -eq 0 -and $key) { break }
        $key = ''
        $reason = ($script:azErrors -split "`n" | Where-Object { $_.Trim() } | Select-Object -Last 1)
        if (-not $reason) { $reason = 'the host has not created it; it does on first start' }
        Write-Host "postdeploy: no blobs_extension key yet (attempt $attempt/$keyAttempts): $reason"
        Start-Sleep -Seconds $keyWaitSeconds
    }
    if (-not $key) {
        Stop-WithAzErrors "no blobs_extension system key on $app after $($keyAttempts * $keyWaitSeconds) s; az's last answer:" "Check that the app started (Application Insights, or 'az containerapp logs show' in gpu mode), then run 'azd hooks run postdeploy'."
    }

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
    foreach ($attempt in 1..$subscribeAttempts) {
        Invoke-Az deployment group create --resource-group $rg @subscription --name eventgrid-subscription `
            --template-file (Join-Path $repoRoot 'infra/modules/eventgrid-subscription.bicep') `
            --parameters "@$parameters" --output none | Out-Null
        if ($LASTEXITCODE -eq 0) {
            Write-Host "postdeploy: done. Upload a photo to '$($env:PHOTOS_CONTAINER)' in $($env:STORAGE_ACCOUNT_NAME) to run detection."
            return
        }
        # Only a failed validation handshake (an instance still starting) is retried: any other error is final.
        if ($script:azErrors -notmatch 'validation handshake|validate the provided endpoint|endpoint validation') {
            Stop-WithAzErrors 'creating the Event Grid subscription failed:' ''
        }
        if ($attempt -lt $subscribeAttempts) {
            Write-Host "postdeploy: Event Grid could not validate the webhook yet (attempt $attempt/$subscribeAttempts); the app may still be starting. Retrying in $subscribeWaitSeconds s."
            Start-Sleep -Seconds $subscribeWaitSeconds
        }
    }
    Stop-WithAzErrors "Event Grid could not validate https://$($env:APP_HOST_NAME)/runtime/webhooks/blobs after $subscribeAttempts attempts:" "Check that the app runs and answers there, then run 'azd hooks run postdeploy'."
}
finally {
    if ($parameters) { Remove-Item $parameters -ErrorAction SilentlyContinue }
    if ($scaledUp) {
        Invoke-Az containerapp update --resource-group $rg --name $app @subscription --min-replicas 0 --output none | Out-Null
        if ($LASTEXITCODE -ne 0) {
            Write-Warning "postdeploy: could not return $app to zero replicas, so it keeps holding a GPU: $($script:azErrors) Run: az containerapp update --resource-group $rg --name $app --min-replicas 0"
        }
    }
}

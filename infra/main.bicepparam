using 'main.bicep'

// azd sets AZURE_ENV_NAME and AZURE_LOCATION; everything else has a default and can be changed with
// `azd env set <NAME> <value>` before `azd provision` (see docs/deploy.md).
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'facefunctions')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westus3')
param hostingMode = readEnvironmentVariable('HOSTING_MODE', 'flex')
param maximumInstanceCount = int(readEnvironmentVariable('FLEX_MAXIMUM_INSTANCE_COUNT', '40'))
param instanceMemoryMB = readEnvironmentVariable('FLEX_INSTANCE_MEMORY_MB', '2048')
param gpuProfileType = readEnvironmentVariable('GPU_PROFILE_TYPE', 'Consumption-GPU-NC8as-T4')
param gpuMaxReplicas = int(readEnvironmentVariable('GPU_MAX_REPLICAS', '1'))
// azd records the image it deployed here, so a later `azd provision` keeps it instead of the placeholder.
param gpuImage = readEnvironmentVariable('SERVICE_APP_IMAGE_NAME', '')
param writeAnnotated = bool(readEnvironmentVariable('WRITE_ANNOTATED', 'false'))
param writeAnonymized = bool(readEnvironmentVariable('WRITE_ANONYMIZED', 'false'))
param maxConcurrentDetections = readEnvironmentVariable('MAX_CONCURRENT_DETECTIONS', '')
param memoryBudgetMegabytes = readEnvironmentVariable('MEMORY_BUDGET_MEGABYTES', '')
param scanSchedule = readEnvironmentVariable('SCAN_SCHEDULE', '0 0 3 * * *')
// principalId (who may upload photos: Storage Blob Data Contributor on the photos container) is left to main.bicep's
// default, the identity running the deployment. To choose another principal, or nobody, set it here:
//   param principalId = '<object id>'   (or '' for none)

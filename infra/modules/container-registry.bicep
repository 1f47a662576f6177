// The registry the GPU image is built into (az acr build, no local Docker) and pulled from by the container app.

@description('Registry name (5-50 letters and digits).')
@minLength(5)
@maxLength(50)
param name string

@description('Azure region.')
param location string

@description('Tags for the resource.')
param tags object

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: name
  location: location
  tags: tags
  // Basic holds 10 GB of images, plenty for one CUDA image with a few tags; it is the cheapest tier.
  sku: { name: 'Basic' }
  properties: {
    // No shared admin password: pulls use the app's identity (AcrPull), pushes the deploying user's Entra login.
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer

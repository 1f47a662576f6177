// vCPU and memory of one replica of the GPU hosting mode per serverless GPU profile: the whole of the profile's share
// per GPU (NC8as T4: 8 vCPU, 56 GiB; NC24 A100: 24 vCPU, 220 GiB), since a replica holds the GPU anyway. Imported by
// function-gpu.bicep (the container's resources) and main.bicep (the memory budget derived from the replica's memory).

@export()
@description('vCPU and memory (GiB) of one replica, per serverless GPU workload profile type.')
var gpuReplicaSizes = {
  'Consumption-GPU-NC8as-T4': { cpu: 8, memoryGiB: 56 }
  'Consumption-GPU-NC24-A100': { cpu: 24, memoryGiB: 220 }
}

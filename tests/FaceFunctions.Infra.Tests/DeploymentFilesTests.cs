namespace FaceFunctions.Infra.Tests;

/// <summary>
/// The azd projects and the GPU Dockerfile point at files that exist and build the app the way the issue asks.
/// (The Dockerfile itself cannot be built here: there is no Docker engine.)
/// </summary>
public sealed class DeploymentFilesTests
{
    private static string Read(string relativePath) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, relativePath));

    [Fact]
    public void RootAzdProjectDeploysTheFunctionAppToFlexAndRunsTheHook()
    {
        var azure = Read("azure.yaml");

        Assert.Contains("project: ./src/FaceFunctions.App", azure, StringComparison.Ordinal);
        Assert.Contains("host: function", azure, StringComparison.Ordinal);
        Assert.Contains("path: infra", azure, StringComparison.Ordinal);
        Assert.Contains("./infra/hooks/postdeploy.sh", azure, StringComparison.Ordinal);
        Assert.Contains("./infra/hooks/postdeploy.ps1", azure, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "src/FaceFunctions.App/FaceFunctions.App.csproj")));
    }

    [Fact]
    public void GpuAzdProjectBuildsTheGpuImageRemotely()
    {
        var azure = Read("infra/gpu/azure.yaml");

        Assert.Contains("host: containerapp", azure, StringComparison.Ordinal);
        Assert.Contains("path: ../../infra/docker/Dockerfile.gpu", azure, StringComparison.Ordinal);
        Assert.Contains("remoteBuild: true", azure, StringComparison.Ordinal);
        Assert.Contains("bash ../../infra/hooks/postdeploy.sh", azure, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "infra/gpu/../../infra/docker/Dockerfile.gpu")));
    }

    [Fact]
    public void GpuDockerfileBuildsTheGpuFlavourOnTheFunctionsImageWithPinnedCudaLibraries()
    {
        var dockerfile = Read("infra/docker/Dockerfile.gpu");

        Assert.Contains("ARG FUNCTIONS_IMAGE=mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/FaceFunctions.App -c Release -p:OnnxRuntimeFlavor=Gpu", dockerfile, StringComparison.Ordinal);
        Assert.Contains("Detection__ExecutionProvider=cuda", dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY --from=build /app/publish /home/site/wwwroot", dockerfile, StringComparison.Ordinal);
        foreach (var package in new[] { "cuda-cudart-13-0", "libcublas-13-0", "libcufft-13-0", "libcurand-13-0", "libcudnn9-cuda-13" })
        {
            Assert.Matches($"\"{package}=\\$\\{{[A-Z_]+_VERSION\\}}\"", dockerfile);
        }
    }
}

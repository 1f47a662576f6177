using System.Reflection;

namespace FaceFunctions.Tests;

/// <summary>Values the build records in the test assembly as AssemblyMetadata (paths the tests cannot know otherwise).</summary>
internal static class BuildMetadata
{
    public static string Get(string key)
    {
        var value = typeof(BuildMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value;
        return string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException($"The build did not record '{key}' in the test assembly.")
            : value;
    }
}

namespace FaceFunctions.Tests.Shared.Azurite;

/// <summary>One in-memory Azurite shared by every test in the "Azurite" collection; tests use their own containers.</summary>
public sealed class AzuriteFixture : IDisposable
{
    public AzuriteServer Server { get; } = new();

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

namespace FaceFunctions.Infra.Tests;

/// <summary>ARM resource types the tests look for.</summary>
internal static class ResourceTypes
{
    public const string StorageAccount = "Microsoft.Storage/storageAccounts";
    public const string BlobService = "Microsoft.Storage/storageAccounts/blobServices";
    public const string BlobContainer = "Microsoft.Storage/storageAccounts/blobServices/containers";
    public const string Queue = "Microsoft.Storage/storageAccounts/queueServices/queues";
    public const string Table = "Microsoft.Storage/storageAccounts/tableServices/tables";
    public const string RoleAssignment = "Microsoft.Authorization/roleAssignments";
    public const string Identity = "Microsoft.ManagedIdentity/userAssignedIdentities";
    public const string Workspace = "Microsoft.OperationalInsights/workspaces";
    public const string AppInsights = "Microsoft.Insights/components";
    public const string Plan = "Microsoft.Web/serverfarms";
    public const string Site = "Microsoft.Web/sites";
    public const string PublishingCredentialsPolicy = "Microsoft.Web/sites/basicPublishingCredentialsPolicies";
    public const string ManagedEnvironment = "Microsoft.App/managedEnvironments";
    public const string ContainerApp = "Microsoft.App/containerApps";
    public const string Registry = "Microsoft.ContainerRegistry/registries";
    public const string SystemTopic = "Microsoft.EventGrid/systemTopics";
    public const string EventSubscription = "Microsoft.EventGrid/systemTopics/eventSubscriptions";
}

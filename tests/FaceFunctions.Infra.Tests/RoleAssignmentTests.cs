using System.Text.Json.Nodes;

namespace FaceFunctions.Infra.Tests;

/// <summary>The app's identity gets exactly the roles it needs, each on the narrowest scope.</summary>
[Collection(SnapshotCollection.Name)]
public sealed class RoleAssignmentTests(Snapshots snapshots)
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    // The extras, each with its reason next to it in infra/modules/roles.bicep.
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string AcrPull = "7f951dfd-4ca6-4b38-9b4d-4b0a8fff0a7d";

    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0fdd7049";

    /// <summary>How the prediction writes main.bicep's default principalId, the identity running the deployment.</summary>
    private const string DeployerExpression = "[deployer().objectId]";

    [Fact]
    public void FlexIdentityHasTheThreeRolesPlusTheHostsTableRole()
    {
        Assert.Equal(
            new[] { MonitoringMetricsPublisher, StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }.Order(),
            AppIdentityRoles(snapshots.Flex).Select(role => role.RoleId).Order());
    }

    [Fact]
    public void GpuIdentityAlsoPullsFromTheRegistry()
    {
        Assert.Equal(
            new[] { AcrPull, MonitoringMetricsPublisher, StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor }.Order(),
            AppIdentityRoles(snapshots.Gpu).Select(role => role.RoleId).Order());
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void EachRoleIsScopedToTheOneResourceItIsFor(string mode)
    {
        var scopes = AppIdentityRoles(snapshots.Mode(mode)).ToDictionary(role => role.RoleId, role => role.Scope);

        Assert.Contains("/providers/Microsoft.Storage/storageAccounts/", scopes[StorageBlobDataOwner], StringComparison.Ordinal);
        Assert.Contains("/providers/Microsoft.Storage/storageAccounts/", scopes[StorageQueueDataContributor], StringComparison.Ordinal);
        Assert.Contains("/providers/Microsoft.Insights/components/", scopes[MonitoringMetricsPublisher], StringComparison.Ordinal);
        if (mode == "gpu")
        {
            Assert.Contains("/providers/Microsoft.ContainerRegistry/registries/", scopes[AcrPull], StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void EventGridDeadLettersWithItsOwnIdentityIntoOneContainerOnly(string mode)
    {
        var snapshot = snapshots.Mode(mode);
        var topic = snapshot.Single(ResourceTypes.SystemTopic);
        var topicRoles = RoleAssignments(snapshot)
            .Where(role => role.PrincipalExpression.Contains("Microsoft.EventGrid/systemTopics", StringComparison.Ordinal))
            .ToList();

        Assert.Equal("SystemAssigned", (string?)topic["identity"]!["type"]);
        var role = Assert.Single(topicRoles);
        Assert.Equal(StorageBlobDataContributor, role.RoleId);
        Assert.EndsWith("/blobServices/default/containers/eventgrid-deadletter", role.Scope, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void TheDeployerMayUploadToThePhotosContainerAndNothingElse(string mode)
    {
        var role = Assert.Single(UploaderRoles(snapshots.Mode(mode)));

        Assert.Equal(StorageBlobDataContributor, role.RoleId);
        Assert.EndsWith("/blobServices/default/containers/photos", role.Scope, StringComparison.Ordinal);
        // The deployer may be a user or a pipeline's service principal: no principal type is claimed.
        Assert.Null(role.PrincipalType);
    }

    [Fact]
    public void AnEmptyPrincipalIdGrantsNoUploaderRole()
    {
        Assert.Empty(UploaderRoles(snapshots.RolesWithoutUploader));
        Assert.Equal(4, AppIdentityRoles(snapshots.RolesWithoutUploader).Count());
    }

    [Fact]
    public void AnExplicitPrincipalIdIsTheUploader()
    {
        var role = Assert.Single(UploaderRoles(snapshots.RolesWithUploader));

        Assert.Equal(Snapshots.ExplicitUploader, role.PrincipalExpression);
        Assert.EndsWith("/blobServices/default/containers/photos", role.Scope, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Snapshots.Modes), MemberType = typeof(Snapshots))]
    public void NoOtherPrincipalGetsARole(string mode)
    {
        var snapshot = snapshots.Mode(mode);

        Assert.All(RoleAssignments(snapshot), role => Assert.True(
            role.PrincipalExpression.Contains(ResourceTypes.Identity, StringComparison.Ordinal)
            || role.PrincipalExpression.Contains(ResourceTypes.SystemTopic, StringComparison.Ordinal)
            || role.PrincipalExpression == DeployerExpression,
            $"Unexpected principal {role.PrincipalExpression}"));
    }

    private static IEnumerable<Assignment> AppIdentityRoles(DeploymentSnapshot snapshot) =>
        RoleAssignments(snapshot).Where(role => role.PrincipalExpression.Contains(ResourceTypes.Identity, StringComparison.Ordinal));

    /// <summary>Roles of principals that are neither the app's identity nor the Event Grid topic's.</summary>
    private static IEnumerable<Assignment> UploaderRoles(DeploymentSnapshot snapshot) =>
        RoleAssignments(snapshot).Where(role =>
            !role.PrincipalExpression.Contains(ResourceTypes.Identity, StringComparison.Ordinal)
            && !role.PrincipalExpression.Contains(ResourceTypes.SystemTopic, StringComparison.Ordinal));

    private static IEnumerable<Assignment> RoleAssignments(DeploymentSnapshot snapshot) =>
        snapshot.OfType(ResourceTypes.RoleAssignment).Select(Assignment.Of);

    private readonly record struct Assignment(string RoleId, string Scope, string PrincipalExpression, string? PrincipalType)
    {
        public static Assignment Of(JsonObject resource)
        {
            var id = (string)resource["id"]!;
            var properties = resource.Properties();
            var assignment = new Assignment(
                ((string)properties["roleDefinitionId"]!).Split('/')[^1],
                ScopeOf(id),
                (string)properties["principalId"]!,
                (string?)properties["principalType"]);
            // The managed identities are service principals, and saying so avoids replication delays.
            if (assignment.PrincipalExpression.Contains(ResourceTypes.Identity, StringComparison.Ordinal)
                || assignment.PrincipalExpression.Contains(ResourceTypes.SystemTopic, StringComparison.Ordinal))
            {
                Assert.Equal("ServicePrincipal", assignment.PrincipalType);
            }

            return assignment;
        }

        private static string ScopeOf(string id)
        {
            // An assignment whose name depends on a value known only at deployment (the deployer's object id) keeps
            // its id as an expression: [extensionResourceId('<scope>', 'Microsoft.Authorization/roleAssignments', …)].
            const string Expression = "[extensionResourceId('";
            return id.StartsWith(Expression, StringComparison.Ordinal)
                ? id[Expression.Length..id.IndexOf("',", StringComparison.Ordinal)]
                : id[..id.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.Ordinal)];
        }
    }
}

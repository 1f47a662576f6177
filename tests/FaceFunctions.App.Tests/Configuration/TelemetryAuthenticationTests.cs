using FaceFunctions.App.Configuration;

namespace FaceFunctions.App.Tests.Configuration;

public sealed class TelemetryAuthenticationTests
{
    [Theory]
    [InlineData("Authorization=AAD;ClientId=00000000-1111-2222-3333-444444444444", "00000000-1111-2222-3333-444444444444")]
    [InlineData(" authorization = aad ; clientid = abc ", "abc")]
    [InlineData("Authorization=AAD", null)]
    [InlineData("ClientId=abc", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_identity_comes_from_the_same_setting_the_host_reads(string? setting, string? clientId)
    {
        Assert.Equal(clientId, TelemetryAuthentication.ClientId(setting));
    }
}

using Bifrost.Api.Auth;

namespace Bifrost.Tests.Api;

/// <summary>api.auth: auto requires keys as soon as any bound address is reachable from outside.</summary>
public sealed class AuthModeTests
{
    [Theory]
    [InlineData("http://localhost:8080", false)]
    [InlineData("http://127.0.0.1:5000", false)]
    [InlineData("http://[::1]:5000", false)]
    [InlineData("http://0.0.0.0:8080", true)]
    [InlineData("http://[::]:8080", true)]
    [InlineData("http://10.1.2.3:8080", true)]
    [InlineData("http://bifrost.internal:8080", true)]
    public void Auto_RequiresKeysOffLoopback(string address, bool required) =>
        Assert.Equal(required, AuthMode.Decide("auto", ["http://127.0.0.1:9000", address]));

    [Fact]
    public async Task Auto_OnLoopback_ServesWithoutKey_ButStillRejectsABadKey()
    {
        await using var host = await TestHost.StartApiAsync(new() { ["api:auth"] = "auto" });
        using var anonymous = host.Client();
        using var ok = await anonymous.PostAsync("/api/v1/analysis", Requests.Body());
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);

        using var wrong = host.Client(Bifrost.Api.Keys.ApiKeySecret.NewKey());
        using var rejected = await wrong.GetAsync("/api/v1/analyses");
        await RestApiTests.AssertProblem(rejected, System.Net.HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void ExplicitModes_WinOverAddresses()
    {
        Assert.True(AuthMode.Decide("required", ["http://127.0.0.1:1"]));
        Assert.False(AuthMode.Decide("disabled", ["http://0.0.0.0:1"]));
    }
}

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
    public void ExplicitModes_WinOverAddresses()
    {
        Assert.True(AuthMode.Decide("required", ["http://127.0.0.1:1"]));
        Assert.False(AuthMode.Decide("disabled", ["http://0.0.0.0:1"]));
    }
}

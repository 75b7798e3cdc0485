using System.Net;
using Xunit;

namespace Contiv.Tests.Rest;

/// <summary>
/// The original netctl prints the body only for a 500 and otherwise just the status line, so a
/// refusal must carry its message in the reason phrase as well as in the plain-text body.
/// </summary>
public sealed class NetctlErrorTests(BadInputMasterFixture fixture) : IClassFixture<BadInputMasterFixture>
{
    [Fact]
    public async Task A_conflict_carries_its_message_in_the_status_line()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/networks/t1:overlap/")
        {
            Content = new StringContent("""{"tenantName":"t1","networkName":"overlap","encap":"vlan","subnet":"10.200.1.0/24"}"""),
        };
        using var response = await fixture.Master.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("conflicts with subnet", response.ReasonPhrase);
        Assert.Contains("conflicts with subnet", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_validation_error_names_the_field_in_the_status_line()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/bad@name/")
        {
            Content = new StringContent("""{"tenantName":"bad@name"}"""),
        };
        using var response = await fixture.Master.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("tenantName string invalid format", response.ReasonPhrase);
    }
}

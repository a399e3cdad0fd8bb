using IolaEdge.Daemon.Web;
using Microsoft.AspNetCore.Http;

namespace IolaEdge.Daemon.Tests.Web;

public sealed class WebAccessTests
{
    private const string Token = "0123456789abcdef-token";

    private static async Task<(int Status, bool Passed, HttpContext Context)> Send(WebAccess access, string method, string host, string path = "/api/status",
        Action<HttpRequest>? setup = null)
    {
        DefaultHttpContext context = new();
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        int q = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = q < 0 ? path : path[..q];
        context.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(path[q..]);
        context.Response.Body = new MemoryStream();
        setup?.Invoke(context.Request);
        bool passed = false;
        await access.InvokeAsync(context, _ =>
        {
            passed = true;
            return Task.CompletedTask;
        });
        return (context.Response.StatusCode, passed, context);
    }

    private static void Bearer(HttpRequest r) => r.Headers.Authorization = "Bearer " + Token;

    [Fact]
    public async Task On_loopback_reads_are_open_and_writes_need_the_token()
    {
        WebAccess access = new(Token, loopbackOnly: true);

        Assert.True((await Send(access, "GET", "127.0.0.1:8080")).Passed);
        Assert.Equal(401, (await Send(access, "POST", "127.0.0.1:8080", "/api/settings")).Status);
        Assert.True((await Send(access, "POST", "localhost:8080", "/api/settings", Bearer)).Passed);
    }

    [Fact]
    public async Task On_loopback_a_foreign_host_name_is_refused()
    {
        WebAccess access = new(Token, loopbackOnly: true);

        (int status, bool passed, _) = await Send(access, "GET", "attacker.example:8080");

        Assert.Equal(403, status);
        Assert.False(passed);
    }

    [Fact]
    public async Task Beyond_loopback_every_request_needs_the_right_token()
    {
        WebAccess access = new(Token, loopbackOnly: false);

        Assert.Equal(401, (await Send(access, "GET", "10.0.0.5:8080", "/")).Status);
        Assert.Equal(401, (await Send(access, "GET", "10.0.0.5:8080", "/api/stream", r => r.Headers.Authorization = "Bearer wrong-token-0000000")).Status);
        Assert.True((await Send(access, "GET", "10.0.0.5:8080", "/api/stream", Bearer)).Passed);
        Assert.True((await Send(access, "GET", "10.0.0.5:8080", "/", r => r.Headers.Cookie = WebAccess.CookieName + "=" + Token)).Passed);
        Assert.Equal(2, access.Refused);
    }

    [Fact]
    public async Task The_token_in_the_address_becomes_a_strict_http_only_cookie()
    {
        WebAccess access = new(Token, loopbackOnly: false);

        (_, bool passed, HttpContext context) = await Send(access, "GET", "10.0.0.5:8080", "/?token=" + Token);

        Assert.True(passed);
        string cookie = context.Response.Headers.SetCookie.ToString();
        Assert.Contains(WebAccess.CookieName + "=" + Token, cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_write_from_another_origin_is_refused_even_with_the_token()
    {
        WebAccess access = new(Token, loopbackOnly: false);

        Assert.Equal(403, (await Send(access, "POST", "10.0.0.5:8080", "/api/save", r =>
        {
            Bearer(r);
            r.Headers.Origin = "http://evil.example";
        })).Status);
        Assert.Equal(403, (await Send(access, "POST", "10.0.0.5:8080", "/api/save", r =>
        {
            Bearer(r);
            r.Headers["Sec-Fetch-Site"] = "cross-site";
        })).Status);
        Assert.True((await Send(access, "POST", "10.0.0.5:8080", "/api/save", r =>
        {
            Bearer(r);
            r.Headers.Origin = "http://10.0.0.5:8080";
        })).Passed);
    }
}

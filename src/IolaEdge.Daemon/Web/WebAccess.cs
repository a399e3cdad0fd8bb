using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace IolaEdge.Daemon.Web;

/// <summary>
/// The page's access rules, checked on every request before any endpoint (SSE included):
/// <list type="bullet">
/// <item>listening on loopback only, reads are open but the Host header must be a loopback name (no DNS rebinding);</item>
/// <item>listening on any other address, every request needs the token;</item>
/// <item>every write (any method but GET/HEAD) needs the token, and a browser's Origin must be the page's own.</item>
/// </list>
/// The token is taken from <c>Authorization: Bearer</c>, the <c>iolaedge_token</c> cookie, or <c>?token=</c>
/// (which also sets the cookie, SameSite=Strict, so the page's own requests carry it).
/// </summary>
internal sealed class WebAccess
{
    /// <summary>The cookie that carries the token for the page's own requests.</summary>
    public const string CookieName = "iolaedge_token";

    private readonly byte[] _token;

    /// <summary>Creates the rules.</summary>
    /// <param name="token">The access token.</param>
    /// <param name="loopbackOnly">True when the page listens on a loopback address only.</param>
    public WebAccess(string token, bool loopbackOnly)
    {
        _token = Encoding.UTF8.GetBytes(token);
        LoopbackOnly = loopbackOnly;
    }

    /// <summary>True when reads need no token (loopback listener).</summary>
    public bool LoopbackOnly { get; }

    /// <summary>Requests refused, by any rule.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    private long _refused;

    /// <summary>Middleware: refuses the request (401/403, one plain-text line) or passes it on.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        HttpRequest request = context.Request;
        if (LoopbackOnly && !IsLoopbackHost(request.Host.Host))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, $"Host '{request.Host}' is not a loopback name; this page listens on loopback only").ConfigureAwait(false);
            return;
        }

        bool fromQuery = false;
        string? presented = TokenOf(request, ref fromQuery);
        bool valid = presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);
        bool write = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
        if (!valid && (write || !LoopbackOnly))
        {
            await Refuse(context, StatusCodes.Status401Unauthorized,
                presented is null ? "token required (open the page with ?token=…, see docs/web.md)" : "wrong token").ConfigureAwait(false);
            return;
        }

        if (write && !SameOrigin(request))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "cross-origin write refused (Origin is not this page)").ConfigureAwait(false);
            return;
        }

        if (valid && fromQuery)
        {
            context.Response.Cookies.Append(CookieName, presented!, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = request.IsHttps,
                Path = "/",
            });
        }

        await next(context).ConfigureAwait(false);
    }

    private static string? TokenOf(HttpRequest request, ref bool fromQuery)
    {
        string authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        if (request.Query.TryGetValue("token", out Microsoft.Extensions.Primitives.StringValues query) && query.Count == 1)
        {
            fromQuery = true;
            return query[0];
        }

        return request.Cookies.TryGetValue(CookieName, out string? cookie) ? cookie : null;
    }

    private static bool SameOrigin(HttpRequest request)
    {
        string site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site != "same-origin" && site != "none")
        {
            return false;
        }

        string origin = request.Headers.Origin.ToString();
        // Clients other than browsers send no Origin; they hold the token, which is what counts for them.
        return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));

    private Task Refuse(HttpContext context, int status, string why)
    {
        Interlocked.Increment(ref _refused);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(why + "\n");
    }
}

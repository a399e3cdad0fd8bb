using System.Security.Cryptography;
using Serilog;

namespace IolaEdge.Daemon.Web;

/// <summary>Where the page's access token comes from: the configuration, the token file, or generated there at first start.</summary>
internal static class WebToken
{
    /// <summary>The token to check. A generated one is written to the token file and logged once, with the page's address.</summary>
    /// <param name="options">Web options.</param>
    /// <param name="log">Receives the one-time line.</param>
    /// <param name="pageUrl">The page's address, for the line.</param>
    public static string Resolve(WebOptions options, ILogger log, string pageUrl)
    {
        if (options.Token.Length > 0)
        {
            return options.Token;
        }

        string file = options.EffectiveTokenFile;
        if (File.Exists(file))
        {
            string kept = File.ReadAllText(file).Trim();
            if (kept.Length >= 16)
            {
                log.Information("Tuning page token: in {TokenFile}", file);
                return kept;
            }
        }

        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        try
        {
            string? directory = Path.GetDirectoryName(file);
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllText(file, "");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(file, token + "\n");
            log.Warning("Tuning page token generated (shown once, kept in {TokenFile}): open {PageUrl}?token={Token}", file, pageUrl, token);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Warning("Tuning page token generated for this run only ({TokenFile} cannot be written: {Message}): open {PageUrl}?token={Token}",
                file, ex.Message, pageUrl, token);
        }

        return token;
    }
}

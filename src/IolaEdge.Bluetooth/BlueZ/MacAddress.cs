using System.Globalization;

namespace IolaEdge.Bluetooth.BlueZ;

/// <summary>A Bluetooth device address, canonical form <c>AA:BB:CC:DD:EE:FF</c> (upper case).</summary>
public readonly record struct MacAddress
{
    private MacAddress(string text) => Text = text;

    /// <summary>Canonical text.</summary>
    public string Text { get; }

    /// <summary>Parses six colon-separated hex octets (either case).</summary>
    public static bool TryParse(string? s, out MacAddress address)
    {
        address = default;
        if (s is null || s.Length != 17)
        {
            return false;
        }

        for (int i = 0; i < 17; i++)
        {
            char c = s[i];
            bool ok = i % 3 == 2 ? c == ':' : char.IsAsciiHexDigit(c);
            if (!ok)
            {
                return false;
            }
        }

        address = new MacAddress(s.ToUpper(CultureInfo.InvariantCulture));
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Text ?? string.Empty;
}

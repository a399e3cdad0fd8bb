using System.Globalization;

namespace IolaEdge.Daemon.Gpio;

/// <summary>Input bias of the button line.</summary>
internal enum ButtonBias
{
    /// <summary>Internal pull-up: wire the button between the pin and ground, active level low.</summary>
    PullUp,

    /// <summary>Internal pull-down: wire the button between the pin and 3.3 V, active level high.</summary>
    PullDown,

    /// <summary>No internal bias (an external resistor is fitted).</summary>
    None,
}

/// <summary>Which libgpiod binding drives the pin.</summary>
internal enum GpioDriverKind
{
    /// <summary>libgpiod v2 (<c>libgpiod.so.3</c>, Debian 13 / Pi OS trixie) if it loads, else v1.</summary>
    Auto,

    /// <summary>libgpiod v1 API (<c>libgpiod.so.2</c>, Debian 12 / Pi OS bookworm): <c>LibGpiodDriver</c>.</summary>
    LibgpiodV1,

    /// <summary>libgpiod v2 API (<c>libgpiod.so.3</c>): <c>LibGpiodV2Driver</c>.</summary>
    LibgpiodV2,
}

/// <summary>Settings of the ground-truth footfall button (configuration section <c>Button</c>).</summary>
internal sealed class GpioButtonOptions
{
    /// <summary>Whether to look for the button at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>libgpiod binding to use.</summary>
    public GpioDriverKind Driver { get; set; } = GpioDriverKind.Auto;

    /// <summary>
    /// GPIO chip: its label (<c>pinctrl-rp1</c> on a Pi 5, <c>pinctrl-bcm2711</c> on a Pi 4), its number,
    /// or <c>auto</c> (the first chip whose label starts with <c>pinctrl-</c>, else chip 0).
    /// </summary>
    public string Chip { get; set; } = "auto";

    /// <summary>Line offset on the chip (BCM numbering on a Pi; 17 is header pin 11).</summary>
    public int Pin { get; set; } = 17;

    /// <summary>Input bias.</summary>
    public ButtonBias Bias { get; set; } = ButtonBias.PullUp;

    /// <summary>Whether a pressed button reads high; null follows the bias (pull-up: low, otherwise high).</summary>
    public bool? ActiveHigh { get; set; }

    /// <summary>After a press is taken, edges are ignored this long (contact bounce on closing).</summary>
    public TimeSpan PressDebounce { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>After a release is taken, edges are ignored this long (contact bounce on opening).</summary>
    public TimeSpan ReleaseDebounce { get; set; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Sensor the presses annotate (0 for a single sensor).</summary>
    public int SensorId { get; set; }

    /// <summary>The resolved active level.</summary>
    internal bool IsActiveHigh => ActiveHigh ?? Bias != ButtonBias.PullUp;

    /// <summary>Checks every value; throws naming the key, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (Pin is < 0 or > 1023)
        {
            throw Bad(nameof(Pin), Pin.ToString(CultureInfo.InvariantCulture), "[0, 1023]");
        }

        if (string.IsNullOrWhiteSpace(Chip))
        {
            throw Bad(nameof(Chip), Chip, "'auto', a chip number or a chip label");
        }

        CheckDebounce(nameof(PressDebounce), PressDebounce);
        CheckDebounce(nameof(ReleaseDebounce), ReleaseDebounce);
        if (SensorId is < 0 or > 15)
        {
            throw Bad(nameof(SensorId), SensorId.ToString(CultureInfo.InvariantCulture), "[0, 15]");
        }
    }

    private static void CheckDebounce(string key, TimeSpan value)
    {
        if (value < TimeSpan.Zero || value > TimeSpan.FromSeconds(1))
        {
            throw Bad(key, value.ToString("c", CultureInfo.InvariantCulture), "[00:00:00, 00:00:01]");
        }
    }

    private static ArgumentOutOfRangeException Bad(string key, string? value, string allowed) =>
        new("Button:" + key, value, $"Button:{key} = '{value}' is invalid; allowed: {allowed}.");
}

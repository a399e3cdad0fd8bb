using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Globalization;
using System.Runtime.InteropServices;
using IolaEdge.Dsp.Sources;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Gpio;

/// <summary>
/// Finds the button's GPIO chip and driver on this machine; a machine without GPIO gets no button
/// and one warning, never an exception.
/// </summary>
/// <remarks>
/// The parameterless <c>GpioController()</c> is avoided: on a machine with libgpiod but no chip it
/// throws <see cref="IOException"/>, and on a Pi 3/4 it picks a register driver that does not serve a
/// Pi 5. Instead the libgpiod binding is chosen by the library present (<c>libgpiod.so.3</c>: v2 API;
/// <c>libgpiod.so.2</c>/<c>.so.1</c>: v1 API) and the chip by label.
/// </remarks>
internal static class GpioButtonFactory
{
    /// <summary>Creates the button, or returns null after one warning when there is no usable GPIO.</summary>
    /// <param name="options">Button settings (invalid values throw: that is a configuration error, not missing hardware).</param>
    /// <param name="sink">Receives the presses.</param>
    /// <param name="logger">Receives the one warning or the start line.</param>
    /// <param name="createController">Seam for tests; default opens the real driver.</param>
    public static GpioButton? TryCreate(GpioButtonOptions options, IImuSampleSink sink, ILogger logger,
        Func<GpioButtonOptions, GpioController>? createController = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        if (!options.Enabled)
        {
            return null;
        }

        GpioController? controller = null;
        try
        {
            controller = (createController ?? CreateController)(options);
            GpioButton button = new(controller, options, sink, logger);
            logger.LogInformation("Footfall button on GPIO line {Pin} ({Bias}, active {Level})",
                options.Pin, options.Bias, options.IsActiveHigh ? "high" : "low");
            return button;
        }
#pragma warning disable CA1031 // drivers throw IOException, GpiodException, DllNotFound, PlatformNotSupported...: all mean "no button here"
        catch (Exception ex)
#pragma warning restore CA1031
        {
            controller?.Dispose();
            logger.LogWarning("No footfall button: GPIO line {Pin} unavailable ({Error}: {Message}); running without it",
                options.Pin, ex.GetType().Name, ex.Message);
            return null;
        }
    }

    /// <summary>Which libgpiod binding would be used here (v2 when <c>libgpiod.so.3</c> loads).</summary>
    internal static GpioDriverKind ResolveDriver(GpioDriverKind configured, Func<string, bool>? canLoad = null)
    {
        if (configured != GpioDriverKind.Auto)
        {
            return configured;
        }

        canLoad ??= CanLoad;
        if (canLoad("libgpiod.so.3"))
        {
            return GpioDriverKind.LibgpiodV2;
        }

        if (canLoad("libgpiod.so.2") || canLoad("libgpiod.so.1"))
        {
            return GpioDriverKind.LibgpiodV1;
        }

        throw new DllNotFoundException("Neither libgpiod.so.3 (libgpiod v2) nor libgpiod.so.2/.so.1 (libgpiod v1) could be loaded; install libgpiod3 or libgpiod2.");
    }

    /// <summary>Picks the chip named by <paramref name="wanted"/> (label, number or <c>auto</c>).</summary>
    internal static GpioChipInfo SelectChip(IList<GpioChipInfo> chips, string wanted)
    {
        if (chips.Count == 0)
        {
            throw new IOException("No GPIO chip found (/dev/gpiochip* absent or not accessible; the service user needs group gpio).");
        }

        if (string.Equals(wanted, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return chips.FirstOrDefault(c => c.Label.StartsWith("pinctrl-", StringComparison.Ordinal)) ?? chips[0];
        }

        GpioChipInfo? match = int.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out int id)
            ? chips.FirstOrDefault(c => c.Id == id)
            : chips.FirstOrDefault(c => string.Equals(c.Label, wanted, StringComparison.Ordinal));
        return match ?? throw new IOException(
            $"Button:Chip = '{wanted}' matches none of: {string.Join(", ", chips.Select(c => $"{c.Id} '{c.Label}' ({c.NumLines} lines)"))}.");
    }

    private static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out IntPtr handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    private static GpioController CreateController(GpioButtonOptions options)
    {
        GpioDriver driver = ResolveDriver(options.Driver) switch
        {
            GpioDriverKind.LibgpiodV2 => new LibGpiodV2Driver(SelectChip(LibGpiodV2Driver.GetAvailableChips(), options.Chip)),
            _ => new LibGpiodDriver(SelectChip(LibGpiodDriver.GetAvailableChips(), options.Chip)),
        };
        return new GpioController(driver);
    }
}

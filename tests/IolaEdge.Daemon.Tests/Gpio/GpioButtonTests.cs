using System.Device.Gpio;
using IolaEdge.Daemon.Gpio;
using IolaEdge.Daemon.Tests.Gpio.Support;
using IolaEdge.Daemon.Tests.Recording.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IolaEdge.Daemon.Tests.Gpio;

public sealed class GpioButtonTests : IDisposable
{
    private const int Pin = 17;
    private const long Ms = 1_000_000;
    private readonly TestGpioDriver _driver = new();
    private readonly RecordingSink _sink = new();
    private long _now = 1_000 * Ms;

    public void Dispose() => _driver.Dispose();

    private GpioButton Button(Action<GpioButtonOptions>? change = null, ILogger? log = null)
    {
        GpioButtonOptions o = new() { Pin = Pin, PressDebounce = TimeSpan.FromMilliseconds(30), ReleaseDebounce = TimeSpan.FromMilliseconds(50) };
        change?.Invoke(o);
        return new GpioButton(new GpioController(_driver), o, _sink, log ?? NullLogger.Instance, () => _now);
    }

    /// <summary>Drives the line at absolute times (ms after the test's origin); true = pressed for a pull-up button (low).</summary>
    private void Edges(params (long AtMs, PinValue Level)[] train)
    {
        foreach (var (at, level) in train)
        {
            _now = (1_000 + at) * Ms;
            _driver.SetInput(Pin, level);
        }
    }

    [Fact]
    public void A_bounce_train_on_press_and_release_gives_one_press_stamped_at_the_first_edge()
    {
        using GpioButton button = Button();
        Assert.Equal(PinMode.InputPullUp, _driver.ModeOf(Pin));
        Edges((100, PinValue.Low), (101, PinValue.High), (102, PinValue.Low), (104, PinValue.High), (107, PinValue.Low),
              (300, PinValue.High), (301, PinValue.Low), (303, PinValue.High), (320, PinValue.Low), (321, PinValue.High));

        Assert.Equal([(0, 1_100 * Ms)], _sink.Marks);
        Assert.Equal(8, button.BouncesIgnored);
        Assert.False(button.IsPressed);
    }

    [Fact]
    public void A_long_press_is_one_footfall_and_the_next_press_counts_again()
    {
        using GpioButton button = Button();
        Edges((0, PinValue.Low), (2_500, PinValue.High), (2_600, PinValue.Low), (2_700, PinValue.High));
        Assert.Equal([(0, 1_000 * Ms), (0, 3_600 * Ms)], _sink.Marks);
    }

    [Fact]
    public void A_tap_shorter_than_the_press_interval_does_not_hide_the_next_press()
    {
        using GpioButton button = Button();
        Edges((0, PinValue.Low), (10, PinValue.High), (400, PinValue.Low), (410, PinValue.High));
        Assert.Equal([(0, 1_000 * Ms), (0, 1_400 * Ms)], _sink.Marks);
    }

    [Fact]
    public void Separate_release_interval_swallows_release_bounce_longer_than_the_press_interval()
    {
        using GpioButton button = Button(o => o.ReleaseDebounce = TimeSpan.FromMilliseconds(80));
        Edges((0, PinValue.Low), (200, PinValue.High), (260, PinValue.Low), (261, PinValue.High));
        Assert.Single(_sink.Marks); // 60 ms after release: bounce for an 80 ms release interval
    }

    [Fact]
    public void A_pin_stuck_pressed_at_start_gives_no_press_until_it_is_released_and_warns_once()
    {
        _driver.SetInput(Pin, PinValue.Low);
        CapturingLogger log = new();
        using GpioButton button = Button(log: log);
        Assert.True(button.IsPressed);
        Assert.Empty(_sink.Marks);
        Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
        Edges((500, PinValue.High), (900, PinValue.Low));
        Assert.Equal([(0, 1_900 * Ms)], _sink.Marks);
    }

    [Fact]
    public void A_pin_stuck_pressed_after_a_press_gives_exactly_one_footfall()
    {
        using GpioButton button = Button();
        Edges((0, PinValue.Low));
        _now += 60_000 * Ms;
        Assert.Single(_sink.Marks);
        Assert.True(button.IsPressed);
    }

    [Fact]
    public void An_active_high_button_with_pull_down_presses_on_rising_edges()
    {
        using GpioButton button = Button(o => { o.Bias = ButtonBias.PullDown; o.SensorId = 1; });
        Assert.Equal(PinMode.InputPullDown, _driver.ModeOf(Pin));
        Edges((0, PinValue.High), (100, PinValue.Low));
        Assert.Equal([(1, 1_000 * Ms)], _sink.Marks);
    }

    [Fact]
    public void The_stamp_is_taken_before_the_press_is_processed()
    {
        // The clock advances on every read: the stamp must be the first read in the callback.
        long reads = 0;
        GpioButtonOptions o = new() { Pin = Pin };
        using GpioButton button = new(new GpioController(_driver), o, _sink, NullLogger.Instance, () => 1_000 + Interlocked.Increment(ref reads));
        _driver.SetInput(Pin, PinValue.Low);
        Assert.Equal(1, reads);
        Assert.Equal(1_001, _sink.Marks[0].TimeNs);
    }

    [Fact]
    public void Dispose_unregisters_the_callback_and_closes_the_pin()
    {
        Button().Dispose();
        Assert.Equal(0, _driver.OpenPins);
        Assert.True(_driver.Disposed);
        _driver.SetInput(Pin, PinValue.Low);
        Assert.Empty(_sink.Marks);
    }

    [Fact]
    public void An_unsupported_bias_fails_naming_the_mode()
    {
        _driver.UnsupportedModes.Add(PinMode.InputPullDown);
        var ex = Assert.Throws<NotSupportedException>(() => Button(o => o.Bias = ButtonBias.PullDown));
        Assert.Contains("InputPullDown", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_builds_a_button_over_a_given_controller()
    {
        using GpioButton? button = GpioButtonFactory.TryCreate(new GpioButtonOptions { Pin = Pin }, _sink, NullLogger.Instance,
            _ => new GpioController(_driver));
        Assert.NotNull(button);
        _driver.SetInput(Pin, PinValue.Low);
        Assert.Single(_sink.Marks);
    }

    [Fact]
    public void This_machine_without_GPIO_runs_without_the_button_after_one_warning()
    {
        // Real drivers, real libgpiod: this machine has no /dev/gpiochip* (see docs/deploy.md).
        CapturingLogger log = new();
        GpioButton? button = GpioButtonFactory.TryCreate(new GpioButtonOptions(), _sink, log);
        Assert.Null(button);
        var line = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("No footfall button", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disabled_button_is_not_looked_for()
    {
        CapturingLogger log = new();
        Assert.Null(GpioButtonFactory.TryCreate(new GpioButtonOptions { Enabled = false }, _sink, log, _ => throw new InvalidOperationException("must not be called")));
        Assert.Empty(log.Lines);
    }

    [Fact]
    public void The_driver_follows_the_libgpiod_present()
    {
        Assert.Equal(GpioDriverKind.LibgpiodV2, GpioButtonFactory.ResolveDriver(GpioDriverKind.Auto, l => true));
        Assert.Equal(GpioDriverKind.LibgpiodV1, GpioButtonFactory.ResolveDriver(GpioDriverKind.Auto, l => l == "libgpiod.so.2"));
        Assert.Equal(GpioDriverKind.LibgpiodV1, GpioButtonFactory.ResolveDriver(GpioDriverKind.LibgpiodV1, l => true));
        Assert.Throws<DllNotFoundException>(() => GpioButtonFactory.ResolveDriver(GpioDriverKind.Auto, l => false));
    }

    [Fact]
    public void The_chip_is_chosen_by_label_number_or_pinctrl_prefix()
    {
        GpioChipInfo[] chips = [new(0, "gpiochip0", "some-expander", 8), new(4, "gpiochip4", "pinctrl-rp1", 54)];
        Assert.Equal(4, GpioButtonFactory.SelectChip(chips, "auto").Id);
        Assert.Equal(4, GpioButtonFactory.SelectChip(chips, "pinctrl-rp1").Id);
        Assert.Equal(0, GpioButtonFactory.SelectChip(chips, "0").Id);
        var ex = Assert.Throws<IOException>(() => GpioButtonFactory.SelectChip(chips, "pinctrl-bcm2711"));
        Assert.Contains("'pinctrl-rp1' (54 lines)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => GpioButtonFactory.SelectChip([], "auto"));
    }

    [Fact]
    public void A_bad_pin_fails_naming_the_key()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GpioButtonOptions { Pin = -1 }.Validate());
        Assert.Contains("Button:Pin = '-1'", ex.Message, StringComparison.Ordinal);
    }
}

using System.Device.Gpio;
using IolaEdge.Dsp.Sources;
using IolaEdge.Dsp.Timing;
using Microsoft.Extensions.Logging;

namespace IolaEdge.Daemon.Gpio;

/// <summary>
/// The ground-truth footfall button on one GPIO line: each debounced press becomes a footfall
/// annotation stamped with the monotonic clock at the edge.
/// </summary>
/// <remarks>
/// System.Device.Gpio passes no kernel timestamp with an edge, so the callback reads the clock as
/// its first statement: the stamp is late by the driver's wake-up latency, never by our processing.
/// Callbacks arrive on the driver's thread (a task per pin for libgpiod v1, a thread for v2); they
/// are serialized here by a lock only they take.
/// </remarks>
internal sealed class GpioButton : IDisposable
{
    private readonly GpioController _controller;
    private readonly GpioButtonOptions _options;
    private readonly IImuSampleSink _sink;
    private readonly Func<long> _clock;
    private readonly ILogger _logger;
    private readonly ButtonDebouncer _debouncer;
    private readonly PinChangeEventHandler _handler;
    private readonly Lock _edgeLock = new();
    private readonly bool _ownsController;
    private bool _disposed;

    /// <summary>Opens the pin with the configured bias and starts listening for edges.</summary>
    /// <param name="controller">An open controller (a real driver on a board, a test driver in tests).</param>
    /// <param name="options">Validated here.</param>
    /// <param name="sink">Receives each press as <see cref="IImuSampleSink.OnFootfallAnnotation"/>.</param>
    /// <param name="logger">Receives the start line.</param>
    /// <param name="clock">Monotonic ns; defaults to <see cref="MonotonicClock.NowNs"/>.</param>
    /// <param name="ownsController">Dispose the controller with the button.</param>
    public GpioButton(GpioController controller, GpioButtonOptions options, IImuSampleSink sink, ILogger logger,
        Func<long>? clock = null, bool ownsController = true)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _controller = controller;
        _options = options;
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _clock = clock ?? MonotonicClock.NowNs;
        _ownsController = ownsController;
        _debouncer = new ButtonDebouncer(options.PressDebounce, options.ReleaseDebounce);
        _handler = OnEdge;

        PinMode mode = options.Bias switch
        {
            ButtonBias.PullUp => PinMode.InputPullUp,
            ButtonBias.PullDown => PinMode.InputPullDown,
            _ => PinMode.Input,
        };
        if (!controller.IsPinModeSupported(options.Pin, mode))
        {
            throw new NotSupportedException($"GPIO line {options.Pin} does not support {mode} (Button:Bias = {options.Bias}).");
        }

        controller.OpenPin(options.Pin, mode);
        bool activeAtStart = IsActive(controller.Read(options.Pin));
        _debouncer.Reset(activeAtStart);
        controller.RegisterCallbackForPinValueChangedEvent(options.Pin, PinEventTypes.Rising | PinEventTypes.Falling, _handler);
        if (activeAtStart)
        {
            _logger.LogWarning("Button on line {Pin} reads pressed at start (stuck, or wrong Button:Bias/ActiveHigh); waiting for a release", options.Pin);
        }
    }

    /// <summary>Presses delivered.</summary>
    public long Presses
    {
        get
        {
            lock (_edgeLock)
            {
                return _debouncer.Presses;
            }
        }
    }

    /// <summary>Edges ignored as contact bounce.</summary>
    public long BouncesIgnored
    {
        get
        {
            lock (_edgeLock)
            {
                return _debouncer.BouncesIgnored;
            }
        }
    }

    /// <summary>Whether the button is held now (debounced).</summary>
    public bool IsPressed
    {
        get
        {
            lock (_edgeLock)
            {
                return _debouncer.IsPressed;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _controller.UnregisterCallbackForPinValueChangedEvent(_options.Pin, _handler);
        _controller.ClosePin(_options.Pin);
        if (_ownsController)
        {
            _controller.Dispose();
        }
    }

    private bool IsActive(PinValue level) => (level == PinValue.High) == _options.IsActiveHigh;

    private void OnEdge(object sender, PinValueChangedEventArgs e)
    {
        long timeNs = _clock(); // first: the stamp is the edge's, not the processing's
        bool press;
        lock (_edgeLock)
        {
            press = _debouncer.OnEdge(IsActive(e.ChangeType == PinEventTypes.Rising ? PinValue.High : PinValue.Low), timeNs);
        }

        if (press)
        {
            _sink.OnFootfallAnnotation(_options.SensorId, timeNs);
        }
    }
}

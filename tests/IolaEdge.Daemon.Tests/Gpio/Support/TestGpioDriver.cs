using System.Device.Gpio;

namespace IolaEdge.Daemon.Tests.Gpio.Support;

/// <summary>
/// A GpioDriver double (System.Device.Gpio 4.2 has no simulator and this kernel has no gpio-sim):
/// tests set a line's level and the registered callbacks fire on the test thread, as a real driver's
/// event thread would call them.
/// </summary>
internal sealed class TestGpioDriver(int pinCount = 64) : GpioDriver
{
    private readonly Dictionary<int, PinValue> _levels = [];
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, List<(PinEventTypes Types, PinChangeEventHandler Handler)>> _callbacks = [];

    public HashSet<PinMode> UnsupportedModes { get; } = [];

    public int OpenPins => _modes.Count;

    public bool Disposed { get; private set; }

    public PinMode? ModeOf(int pin) => _modes.TryGetValue(pin, out PinMode m) ? m : null;

    public int CallbackCount(int pin) => _callbacks.TryGetValue(pin, out var l) ? l.Count : 0;

    /// <summary>Sets the line level; fires callbacks when it changes.</summary>
    public void SetInput(int pin, PinValue level)
    {
        PinValue old = _levels.GetValueOrDefault(pin, PinValue.Low);
        _levels[pin] = level;
        if (old == level)
        {
            return;
        }

        PinEventTypes edge = level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        foreach (var (types, handler) in _callbacks.GetValueOrDefault(pin, []).ToList())
        {
            if ((types & edge) != 0)
            {
                handler(this, new PinValueChangedEventArgs(edge, pin));
            }
        }
    }

    protected override int PinCount => pinCount;

    protected override void OpenPin(int pinNumber) => _modes[pinNumber] = PinMode.Input;

    protected override void ClosePin(int pinNumber)
    {
        _modes.Remove(pinNumber);
        _callbacks.Remove(pinNumber);
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        _modes[pinNumber] = mode;
        if (!_levels.ContainsKey(pinNumber))
        {
            // Bias decides the idle level, as on a real line with nothing pressing it.
            _levels[pinNumber] = mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
        }
    }

    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber];

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => !UnsupportedModes.Contains(mode);

    protected override PinValue Read(int pinNumber) => _levels.GetValueOrDefault(pinNumber, PinValue.Low);

    protected override void Write(int pinNumber, PinValue value) => _levels[pinNumber] = value;

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        if (!_callbacks.TryGetValue(pinNumber, out var list))
        {
            _callbacks[pinNumber] = list = [];
        }

        list.Add((eventTypes, callback));
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        _callbacks.GetValueOrDefault(pinNumber)?.RemoveAll(c => c.Handler == callback);

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the button uses callbacks");

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}

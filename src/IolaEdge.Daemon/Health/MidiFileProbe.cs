using System.Globalization;
using IolaEdge.Midi.Outputs;

namespace IolaEdge.Daemon.Health;

/// <summary>A MIDI output inside a <see cref="FanOutMidiOutput"/> that is not supervised (the Standard MIDI File):
/// failing once a send, flush or close threw (e.g. a full disk); the others carry on.</summary>
internal sealed class MidiFileProbe(FanOutMidiOutput fanOut, int index) : IHealthProbe
{
    /// <inheritdoc/>
    public string Component => "MIDI " + fanOut.Outputs[index].Name;

    /// <inheritdoc/>
    public HealthState Read() => fanOut.FailureCount(index) == 0
        ? new(HealthLevel.Ok, "writing")
        : new(HealthLevel.Failing, "failing: " + fanOut.LastError(index));

    /// <inheritdoc/>
    public IEnumerable<string> SummaryLines()
    {
        long failures = fanOut.FailureCount(index);
        if (failures > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{Component}: {failures} failed writes; last: {fanOut.LastError(index)}");
        }
    }

    /// <inheritdoc/>
    public HealthFailure? EndOfRunFailure() => null;
}

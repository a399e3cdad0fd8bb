using IolaEdge.Recording;
using IolaEdge.Dsp.Samples;

namespace IolaEdge.Daemon.Output;

/// <summary>
/// An event fan-out consumer that records each detection as a <c>detection</c> row: the recorder's
/// single detection producer, on the fan-out's thread for this consumer.
/// </summary>
/// <remarks>For a replay (<paramref name="waitForRoom"/>) it waits for room in the recorder's detection queue, as the
/// sample producer does: at <c>--speed max</c> detections outrun the disk, and a replay may wait instead of dropping.</remarks>
internal sealed class RecordingDetectionConsumer(Recorder recorder, bool waitForRoom = false) : IFootfallEventConsumer
{
    /// <inheritdoc />
    public string Name => "recording";

    /// <inheritdoc />
    public void OnFootfall(in FootfallEvent footfall)
    {
        // A predicted note whose footfall never came is not a detection.
        if (footfall.Kind == FootfallEventKind.Detected)
        {
            if (waitForRoom)
            {
                recorder.WaitForDetectionRoom();
            }

            recorder.OnDetection(footfall);
        }
    }

    /// <inheritdoc />
    public void Flush()
    {
        // The recorder's writer thread flushes on its own schedule (1 s / 1000 rows).
    }
}

using IolaEdge.Dsp.Samples;

namespace IolaEdge.Dsp.Sources;

/// <summary>Where a source delivers what it reads: samples and ground-truth footfall annotations.</summary>
/// <remarks>
/// Live sources call this on their own thread (BLE bus thread, GPIO callback); implementations must
/// not block and must not allocate (typically a write into a preallocated ring that counts drops).
/// </remarks>
public interface IImuSampleSink
{
    /// <summary>Delivers one sample; returns false when it was dropped (ring full).</summary>
    bool OnSample(in ImuSample sample);

    /// <summary>Delivers a ground-truth footfall (button press, recorded footfall row) at a session-clock time.</summary>
    void OnFootfallAnnotation(int sensorId, long timeNs);
}

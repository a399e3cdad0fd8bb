using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Gate;

namespace IolaEdge.Evaluation;

/// <summary>The detector an evaluation runs: its name as the reports print it, and how to build a fresh one.</summary>
/// <remarks>
/// Evaluation builds one detector per file (files are scored independently and in parallel) but does not know the
/// catalog of detectors or their configuration; the host passes the catalog's constructor in.
/// </remarks>
/// <param name="Name">Name shown in tables, JSON and plots.</param>
/// <param name="Create">A new detector for a sensor rate (Hz), with the gate settings it is tuned for.</param>
internal sealed record DetectorChoice(string Name, Func<double, (IFootfallDetector Detector, GateOptions Gate)> Create);

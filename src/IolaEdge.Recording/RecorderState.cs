namespace IolaEdge.Recording;

/// <summary>Life of a <see cref="Recorder"/>.</summary>
internal enum RecorderState
{
    /// <summary>Created, not started.</summary>
    Idle,

    /// <summary>Writing.</summary>
    Running,

    /// <summary>Stopped on an I/O error (see the log line and the failure counter).</summary>
    Failed,

    /// <summary>Stopped on request; files closed and fsynced.</summary>
    Stopped,
}

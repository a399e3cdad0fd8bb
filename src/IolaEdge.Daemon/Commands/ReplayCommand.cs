using System.CommandLine;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge replay FILE</c>: <c>run</c> with a recording CSV as the source.</summary>
internal sealed class ReplayCommand : Command
{
    private readonly RunOptionSet _options = new(withSource: false);

    /// <summary>The options that map to configuration keys (the documented-examples test reads them).</summary>
    internal RunOptionSet RunOptions => _options;

    private readonly Argument<FileInfo> _file = new("FILE")
    {
        Description = "Recording CSV to replay (timestamp,accelerationX,accelerationY,accelerationZ,sequenceNumber,eventType[,gyroscopeX,gyroscopeY,gyroscopeZ]).",
    };

    /// <summary>Creates the verb.</summary>
    public ReplayCommand()
        : base("replay", "Replay a recorded walk (recording CSV) through the detector and out as MIDI; same options as run.")
    {
        Arguments.Add(_file);
        _options.AddTo(this);
        SetAction((result, cancellationToken) =>
            RunCommand.RunAsync(_options, result, "file:" + result.GetRequiredValue(_file).FullName, cancellationToken));
    }
}

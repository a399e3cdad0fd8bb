using System.CommandLine;

namespace IolaEdge.Daemon.Commands;

/// <summary><c>iolaedge eval</c>: scores a detector against a recording's footfall annotations.</summary>
internal sealed class EvalCommand : Command
{
    /// <summary>Creates the verb.</summary>
    public EvalCommand()
        : base("eval", "Score a detector against the footfall rows of a recorded walk.")
    {
        SetAction(_ =>
        {
            Console.Error.WriteLine("eval: not available in this build yet");
            return 2;
        });
    }
}

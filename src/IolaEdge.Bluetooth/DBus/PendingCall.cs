namespace IolaEdge.Bluetooth.DBus;

/// <summary>Reads a method reply on the bus thread (the reply is borrowed: copy what you keep).</summary>
internal delegate T ReplyReader<out T>(BusMessageReader reply);

/// <summary>An asynchronous method call waiting for its reply; completed on the bus thread.</summary>
internal abstract class PendingCall
{
    protected PendingCall(string call) => Call = call;

    /// <summary>D-Bus method named in errors, e.g. <c>org.bluez.Device1.Connect</c>.</summary>
    public string Call { get; }

    /// <summary>The connection that sent the call and holds <see cref="Handle"/> (bus thread only).</summary>
    public BusConnection? Owner { get; set; }

    /// <summary>The GCHandle passed to sd-bus as userdata (bus thread only).</summary>
    public System.Runtime.InteropServices.GCHandle Handle { get; set; }

    /// <summary>Completes from a successful reply.</summary>
    public abstract void Complete(BusMessageReader reply);

    /// <summary>Fails the call.</summary>
    public abstract void Fail(Exception error);
}

/// <summary>A pending call whose result is produced by a <see cref="ReplyReader{T}"/>.</summary>
internal sealed class PendingCall<T> : PendingCall
{
    private readonly ReplyReader<T> _reader;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingCall(string call, ReplyReader<T> reader)
        : base(call) => _reader = reader;

    /// <summary>The result.</summary>
    public Task<T> Task => _completion.Task;

    /// <inheritdoc/>
    public override void Complete(BusMessageReader reply)
    {
        try
        {
            _completion.TrySetResult(_reader(reply));
        }
#pragma warning disable CA1031 // a reply parser failure must reach the awaiting caller, whatever it is
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _completion.TrySetException(ex);
        }
    }

    /// <inheritdoc/>
    public override void Fail(Exception error) => _completion.TrySetException(error);
}

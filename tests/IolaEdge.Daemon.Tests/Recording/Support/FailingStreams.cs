namespace IolaEdge.Daemon.Tests.Recording.Support;

/// <summary>A file stream that accepts <c>limit</c> bytes, then fails like a full disk (IOException, HResult = ENOSPC).</summary>
internal sealed class DiskFullStream(Stream inner, long limit) : Stream
{
    private const int Enospc = 28;
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (_written + count > limit)
        {
            throw new IOException("No space left on device", Enospc);
        }

        _written += count;
        inner.Write(buffer, offset, count);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A stream whose writes wait for a gate: holds the recorder's writer thread so its queue fills.</summary>
internal sealed class GatedStream : Stream
{
    private readonly ManualResetEventSlim _gate = new(false);

    public ManualResetEventSlim Entered { get; } = new(false);

    public MemoryStream Inner { get; } = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Inner.Length;

    public override long Position { get => Inner.Position; set => throw new NotSupportedException(); }

    public bool Blocking { get; set; }

    public void Open() => _gate.Set();

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (Blocking)
        {
            Entered.Set();
            _gate.Wait(TimeSpan.FromSeconds(30));
        }

        Inner.Write(buffer, offset, count);
    }
}

namespace IolaEdge.Recording;

/// <summary>
/// A write-only pass-through that counts the bytes handed to the file (rotation by size) and can
/// fsync whatever it wraps when that is a <see cref="FileStream"/>.
/// </summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    /// <summary>Bytes written through this stream.</summary>
    public long BytesWritten { get; private set; }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => BytesWritten;

    /// <inheritdoc />
    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    /// <summary>Flushes; with <paramref name="flushToDisk"/> also fsyncs a file.</summary>
    public void Flush(bool flushToDisk)
    {
        if (flushToDisk && inner is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            inner.Flush();
        }
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        BytesWritten += count;
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        BytesWritten += buffer.Length;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

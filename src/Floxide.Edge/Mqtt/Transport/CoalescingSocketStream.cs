using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace Floxide.Edge.Mqtt.Transport;

/// <summary>
/// The broker connection's byte stream: a TCP socket that reads ahead and coalesces writes. MQTTnet reads every
/// packet in two or three small reads (fixed header, length, body) and writes every packet on its own; through a
/// plain <see cref="NetworkStream"/> that is a system call each, and on a loaded gateway those calls were over a
/// quarter of its CPU time. Here a read takes whatever the socket has into a buffer, and a write only appends to a
/// pending buffer that one send loop puts on the wire: everything written while the previous send was under way goes
/// out in one call, in the order written.
/// </summary>
/// <remarks>
/// One reader and one writer at a time (MQTTnet serializes its sends). A failed send fails every later write and
/// shuts the socket down, so the receive loop sees the connection end too. Disposing sends what is still pending
/// (bounded by <see cref="DisposeFlushTimeout"/>) before closing, so a DISCONNECT written just before is not lost.
/// </remarks>
internal sealed class CoalescingSocketStream : Stream, IMqttClientStreamEndPoints, IThreadPoolWorkItem
{
    internal static readonly TimeSpan DisposeFlushTimeout = TimeSpan.FromSeconds(2);

    private const int ReadBufferSize = 64 * 1024;
    private const int InitialWriteBufferSize = 16 * 1024;

    // Beyond this the writer waits for the send loop: a stalled broker must not grow the buffer without bound.
    private const int MaxPendingBytes = 1024 * 1024;

    private readonly Socket socket;
    private readonly byte[] readBuffer = new byte[ReadBufferSize];
    private readonly Lock gate = new();
    private int readOffset;
    private int readCount;
    private byte[] pending = new byte[InitialWriteBufferSize];
    private byte[] sending = new byte[InitialWriteBufferSize];
    private int pendingCount;
    private bool sendLoopActive;
    private TaskCompletionSource? sent;
    private Exception? sendFailure;
    private bool disposed;

    public CoalescingSocketStream(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        this.socket = socket;
        LocalEndPoint = socket.LocalEndPoint!;
        RemoteEndPoint = socket.RemoteEndPoint!;
    }

    public EndPoint LocalEndPoint { get; }

    public EndPoint RemoteEndPoint { get; }

    public override bool CanRead => !disposed;

    public override bool CanWrite => !disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (readOffset == readCount)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(readBuffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException exception)
            {
                throw new IOException($"Receiving from the broker failed: {exception.Message}", exception);
            }

            if (received == 0)
            {
                return 0;
            }

            readOffset = 0;
            readCount = received;
        }

        var count = Math.Min(buffer.Length, readCount - readOffset);
        readBuffer.AsSpan(readOffset, count).CopyTo(buffer.Span);
        readOffset += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            ThrowIfSendFailed();
            if (pendingCount + buffer.Length > MaxPendingBytes && sendLoopActive)
            {
                return WriteWhenSentAsync(buffer, cancellationToken);
            }

            Append(buffer.Span);
            if (!sendLoopActive)
            {
                sendLoopActive = true;
                // Queued locally rather than sent inline: whatever else this thread writes before it returns to the
                // pool (the rest of a burst of acknowledgements and publishes) then shares the send.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            }
        }

        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => WhenSentAsync().WaitAsync(cancellationToken);

    public override void Flush() => WhenSentAsync().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    void IThreadPoolWorkItem.Execute() => _ = SendLoopAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Task flushed;
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                disposed = true;
                flushed = WhenSentLocked();
            }

            try
            {
                // Bounded: a broker that stopped reading must not hold up the disconnect.
                flushed.Wait(DisposeFlushTimeout);
            }
            catch (AggregateException)
            {
                // The send failed; the connection is going anyway.
            }

            socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask WriteWhenSentAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await WhenSentAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    private Task WhenSentAsync()
    {
        lock (gate)
        {
            return WhenSentLocked();
        }
    }

    private Task WhenSentLocked()
    {
        if (sendFailure is not null)
        {
            return Task.FromException(SendFailed(sendFailure));
        }

        if (!sendLoopActive)
        {
            return Task.CompletedTask;
        }

        sent ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return sent.Task;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (pendingCount + data.Length > pending.Length)
        {
            Array.Resize(ref pending, Math.Max(pending.Length * 2, pendingCount + data.Length));
        }

        data.CopyTo(pending.AsSpan(pendingCount));
        pendingCount += data.Length;
    }

    private async Task SendLoopAsync()
    {
        while (true)
        {
            int count;
            lock (gate)
            {
                if (pendingCount == 0)
                {
                    sendLoopActive = false;
                    sent?.TrySetResult();
                    sent = null;
                    return;
                }

                (sending, pending) = (pending, sending);
                count = pendingCount;
                pendingCount = 0;
            }

            try
            {
                for (var offset = 0; offset < count;)
                {
                    offset += await socket.SendAsync(sending.AsMemory(offset, count - offset), SocketFlags.None).ConfigureAwait(false);
                }
            }
            catch (Exception exception)
            {
                // Whatever ended the send, the connection cannot go on: a loop that died silently would leave every
                // later write waiting behind a send that never comes.
                FailSends(exception);
                return;
            }
        }
    }

    private void FailSends(Exception exception)
    {
        lock (gate)
        {
            sendFailure = exception;
            pendingCount = 0;
            sendLoopActive = false;
            sent?.TrySetException(SendFailed(exception));
            sent = null;
        }

        try
        {
            // The receive loop learns of the broken connection from its next read.
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception shutdown) when (shutdown is SocketException or ObjectDisposedException)
        {
        }
    }

    private void ThrowIfSendFailed()
    {
        if (sendFailure is { } failure)
        {
            throw SendFailed(failure);
        }
    }

    private static IOException SendFailed(Exception cause) => new($"Sending to the broker failed: {cause.Message}", cause);
}

using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Floxide.Edge.Gateway.Systemd;

/// <summary>
/// Sends <c>sd_notify(3)</c> datagrams (<c>READY=1</c>, <c>STATUS=…</c>, <c>WATCHDOG=1</c>, <c>STOPPING=1</c>) to the
/// unix datagram socket named by <c>$NOTIFY_SOCKET</c>, as libsystemd does: whenever the variable is set, whatever the
/// parent process, with <c>@</c> meaning the abstract namespace.
/// </summary>
/// <remarks>
/// Thread-safe. A failed send is logged once and never thrown: like <c>sd_notify</c>, notification is best effort, and
/// systemd's own timeouts deal with a service that cannot reach it.
/// </remarks>
public sealed partial class SystemdNotifySocket : IDisposable
{
    /// <summary>The environment variable systemd sets for <c>Type=notify</c> services.</summary>
    public const string EnvironmentVariable = "NOTIFY_SOCKET";

    private readonly Lock gate = new();
    private readonly UnixDomainSocketEndPoint? endPoint;
    private readonly ILogger logger;
    private Socket? socket;
    private bool failureLogged;

    /// <summary>Creates a notifier for the given <c>NOTIFY_SOCKET</c> value.</summary>
    /// <param name="notifySocket">The variable's value: a path, <c>@name</c> for the abstract namespace, or null/empty to disable.</param>
    /// <param name="logger">Where a failed send or an unsupported address is reported.</param>
    public SystemdNotifySocket(string? notifySocket, ILogger<SystemdNotifySocket> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        this.logger = logger;
        Address = string.IsNullOrEmpty(notifySocket) ? null : notifySocket;
        if (Address is null)
        {
            return;
        }

        if (Address[0] is '/' or '@')
        {
            // sd_notify(3): a leading '@' names a socket in the abstract namespace, which the kernel spells with a NUL.
            endPoint = new UnixDomainSocketEndPoint(Address[0] == '@' ? "\0" + Address[1..] : Address);
        }
        else
        {
            LogUnsupportedAddress(logger, Address);
        }
    }

    /// <summary>The <c>NOTIFY_SOCKET</c> value in use, or <see langword="null"/> when notification is off.</summary>
    public string? Address { get; }

    /// <summary><see langword="true"/> when a notification socket is configured and usable.</summary>
    public bool IsEnabled => endPoint is not null;

    /// <summary>Sends one notification: newline-separated <c>KEY=VALUE</c> assignments.</summary>
    /// <param name="state">For example <c>READY=1\nSTATUS=Running</c>.</param>
    /// <returns><see langword="true"/> when the datagram was sent; <see langword="false"/> when disabled or the send failed.</returns>
    public bool Notify(string state)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        if (endPoint is null)
        {
            return false;
        }

        var payload = Encoding.UTF8.GetBytes(state);
        lock (gate)
        {
            try
            {
                // Non-blocking: a receiver that stops reading (its queue holds net.unix.max_dgram_qlen datagrams) must cost
                // a lost notification, never a gateway stuck in send() while stopping.
                socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };
                socket.SendTo(payload, SocketFlags.None, endPoint);
                failureLogged = false;
                return true;
            }
            catch (SocketException exception)
            {
                if (!failureLogged)
                {
                    failureLogged = true;
                    LogSendFailed(logger, Address!, exception.SocketErrorCode, exception);
                }

                if (exception.SocketErrorCode != SocketError.WouldBlock)
                {
                    // A socket that systemd re-created (daemon-reexec) needs a fresh one on our side too.
                    socket?.Dispose();
                    socket = null;
                }

                return false;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (gate)
        {
            socket?.Dispose();
            socket = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "NOTIFY_SOCKET '{Address}' is not a unix socket path or @abstract name; systemd notifications are off")]
    private static partial void LogUnsupportedAddress(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot notify systemd at '{Address}' ({Error}); will keep trying")]
    private static partial void LogSendFailed(ILogger logger, string address, SocketError error, Exception exception);
}

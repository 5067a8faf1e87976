using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace PSPeer.Engine.Runtime
{
    /// <summary>
    /// Unreliable, unordered datagrams between hosts (UDP live; in-memory datagrams with latency, jitter, loss,
    /// bandwidth and partitions in a simulation). Nothing is retried, acknowledged or reassembled: a protocol that
    /// needs that (BEP 15's retransmission, KRPC's timeouts) does it itself with the runtime's clock.
    /// </summary>
    public interface IDatagramTransport
    {
        /// <summary>
        /// Binds a socket on this host's address at <paramref name="port"/> (0 = any free port) and hands every
        /// datagram that arrives to <paramref name="receiver"/>, one at a time: on the simulation's loop, or live on the
        /// socket's own receive loop (a pool thread). Throws PeerException PortInUse when the port is taken.
        /// </summary>
        IDatagramSocket Bind(int port, DatagramReceiver receiver);

        /// <summary>
        /// The address to send to for a host name or address literal (a simulated host's name or virtual address;
        /// live, DNS, preferring the family this host is bound to). Throws PeerException PeerUnreachable naming the host
        /// when it does not resolve.
        /// </summary>
        Task<IPEndPoint> ResolveAsync(string host, int port, CancellationToken cancellationToken = default);
    }

    /// <summary>
    /// One datagram that arrived. <paramref name="payload"/> is valid only during the call (live sockets reuse their
    /// buffer): copy what you keep. <paramref name="from"/> is the sender as this host sees it (after any address
    /// translation on the way); never modify it.
    /// </summary>
    public delegate void DatagramReceiver(IDatagramSocket socket, IPEndPoint from, ArraySegment<byte> payload);

    public interface IDatagramSocket : IDisposable
    {
        int Port { get; }
        /// <summary>"host:port" as other hosts reach it.</summary>
        string EndPoint { get; }
        /// <summary>The largest payload <see cref="Send"/> accepts (a UDP datagram's 65,507 bytes unless configured lower).</summary>
        int MaxDatagramSize { get; }
        /// <summary>
        /// Queues one datagram to <paramref name="to"/> and returns at once, copying the bytes. It may be lost,
        /// duplicated by nobody, reordered or never answered, silently, as UDP may; a payload larger than
        /// <see cref="MaxDatagramSize"/> throws ArgumentOutOfRangeException, and sending on a closed socket throws
        /// ObjectDisposedException.
        /// </summary>
        void Send(byte[] buffer, int offset, int count, IPEndPoint to);
    }
}

using System;
using System.Net;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A datagram socket of a simulated host. Idle, it costs this object alone: no task, no queue, no timer. A
    /// datagram sent is one work item on the simulation's loop until it arrives and is handed to the receiver there.
    /// Sockets of one host form a short linked list (hosts have one or two), so a host without sockets pays nothing.
    /// </summary>
    sealed class SimulatedDatagramSocket : IDatagramSocket
    {
        readonly SimulatedNetwork _network;
        readonly DatagramReceiver _receiver;
        IPEndPoint _localEndPoint;

        public SimulatedDatagramSocket(SimulatedNetwork network, SimulatedHost host, int port, DatagramReceiver receiver)
        {
            _network = network;
            Host = host;
            Port = port;
            _receiver = receiver;
        }

        public SimulatedHost Host { get; }
        public int Port { get; }
        public string EndPoint => Host.HostAddress + ":" + Port;
        public int MaxDatagramSize => _network.Options.MaxDatagramSize;
        public bool IsClosed { get; private set; }
        /// <summary>The next socket of the same host.</summary>
        internal SimulatedDatagramSocket NextOnHost;

        /// <summary>This socket as receivers see it: made on the first send and shared by every datagram it sends.</summary>
        internal IPEndPoint LocalEndPoint => _localEndPoint ?? (_localEndPoint = new IPEndPoint(Host.IPAddress, Port));

        public void Send(byte[] buffer, int offset, int count, IPEndPoint to)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (to == null) throw new ArgumentNullException(nameof(to));
            if (offset < 0 || count < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count), count, "The range lies outside the buffer.");
            if (count > MaxDatagramSize) throw new ArgumentOutOfRangeException(nameof(count), count, $"A datagram carries at most {MaxDatagramSize} bytes.");
            if (IsClosed) throw new ObjectDisposedException(nameof(IDatagramSocket), $"The datagram socket on {EndPoint} is closed.");
            _network.SendDatagram(this, buffer, offset, count, to);
        }

        /// <summary>Called on the loop when a datagram for this socket arrives.</summary>
        internal void Receive(IPEndPoint from, byte[] data) => _receiver(this, from, new ArraySegment<byte>(data));

        public void Dispose()
        {
            if (IsClosed) return;
            IsClosed = true;
            Host.RemoveDatagramSocket(this);
        }

        public override string ToString() => "udp " + EndPoint;
    }
}

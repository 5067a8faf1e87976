using System.Net;
using System.Threading;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>A datagram in flight: the one object (with its bytes) a send costs until it arrives or is dropped.</summary>
    sealed class SimulatedDatagram
    {
        public static readonly SendOrPostCallback Arrive = state =>
        {
            var datagram = (SimulatedDatagram)state;
            datagram.Network.DeliverDatagram(datagram);
        };

        public SimulatedDatagram(SimulatedNetwork network, SimulatedHost source, IPEndPoint from, SimulatedHost target, int port, byte[] data)
        {
            Network = network;
            Source = source;
            From = from;
            Target = target;
            Port = port;
            Data = data;
        }

        public readonly SimulatedNetwork Network;
        public readonly SimulatedHost Source;
        /// <summary>The source address the receiver sees (a NAT on the way would rewrite it).</summary>
        public IPEndPoint From;
        public SimulatedHost Target;
        public int Port;
        public readonly byte[] Data;
    }
}

using System;
using System.Net;
using System.Net.Sockets;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <remarks>
    /// A datagram's life, in the order a real network gives it: the sender's uplink serializes it (bandwidth), the
    /// link may lose it (loss, drawn from the network's own seeded source), it travels (latency plus a random jitter,
    /// so datagrams may reorder), and on arrival it is dropped if its host is down, partitioned from the sender, or
    /// has nothing bound on the port; else the socket's receiver gets it on the loop. One work item per datagram,
    /// no task, no per-host thread.
    ///
    /// Address translation belongs between <see cref="ResolveDatagramTarget"/> and the enqueue in
    /// <see cref="SendDatagram"/> (the outbound side of a NAT: rewrite <see cref="SimulatedDatagram.From"/>) and at
    /// the top of <see cref="DeliverDatagram"/> (the inbound side: map the public port back to an inside host, or
    /// filter): both see the whole datagram and may rewrite its From, Target and Port or drop it.
    /// </remarks>
    sealed partial class SimulatedNetwork
    {
        /// <summary>Bytes of IPv4 and UDP headers a datagram costs on the wire, on top of its payload.</summary>
        const int DatagramOverhead = 28;

        public void SendDatagram(SimulatedDatagramSocket socket, byte[] buffer, int offset, int count, IPEndPoint to)
        {
            Statistics.datagramsSent++;
            var source = socket.Host;
            var target = ResolveDatagramTarget(to.Address, source);
            if (target == null || to.Port < 1 || to.Port > 65535)
            {
                Statistics.datagramsDropped++;
                return;
            }
            var from = socket.LocalEndPoint;
            if (MayTranslate(source, target))
            {
                if (!TranslateOut(source, socket.Port, target, to.Port, true, out _, out _, out var mapping, out _))
                {
                    Statistics.datagramsDropped++;
                    return;
                }
                if (mapping != null) from = mapping.PublicEndPoint(source.Nat);
            }
            var link = GetLink(source, target);
            long now = Scheduler.Now;
            long serialized = Math.Max(now, link.FreeAt) + link.SerializationTicks(count + DatagramOverhead);
            link.FreeAt = serialized;
            if (link.Loss > 0 && _datagramRandom.NextDouble() < link.Loss)
            {
                Statistics.datagramsLost++;
                return;
            }
            long arrival = serialized + link.LatencyTicks;
            if (link.JitterTicks != 0) arrival += (long)(_datagramRandom.NextDouble() * link.JitterTicks);
            var data = new byte[count];
            Buffer.BlockCopy(buffer, offset, data, 0, count);
            var datagram = new SimulatedDatagram(this, source, from, target, to.Port, data);
            Scheduler.Enqueue(arrival, SimulatedDatagram.Arrive, datagram);
        }

        public void DeliverDatagram(SimulatedDatagram datagram)
        {
            var target = datagram.Target;
            if (target.Nat != null && target.Nat.PublicHost == target)
            {
                var seen = ResolveDatagramTarget(datagram.From.Address, null);
                if (!TranslateIn(datagram.Source, target, datagram.Port, seen, datagram.From.Port, true, out target, out int port, out _))
                {
                    Statistics.datagramsDropped++;
                    return;
                }
                datagram.Target = target;
                datagram.Port = port;
            }
            var socket = target.IsUp && CanReach(datagram.Source, target) ? target.FindDatagramSocket(datagram.Port) : null;
            if (socket == null)
            {
                Statistics.datagramsDropped++;
                return;
            }
            Statistics.datagramsDelivered++;
            socket.Receive(datagram.From, datagram.Data);
        }

        /// <summary>
        /// The host an address belongs to, without allocating: simulated addresses are 10.x.y.z numbered from the
        /// host's index (see SimulatedHost), and loopback is the sender itself. Null for any other address.
        /// </summary>
        public SimulatedHost ResolveDatagramTarget(IPAddress address, SimulatedHost sender)
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
                return IPAddress.IPv6Loopback.Equals(address) ? sender : null;
            if (address.AddressFamily != AddressFamily.InterNetwork) return null;
#pragma warning disable CS0618 // IPAddress.Address is the allocation-free way to read IPv4 on netstandard2.0
            long raw = address.Address;
#pragma warning restore CS0618
            int first = (int)(raw & 0xFF);
            if (first == 127) return sender;
            int second = (int)((raw >> 8) & 0xFF);
            bool inside = first == 172 && second >= 16 && second < 32;   // behind a NAT (SimulatedHost.PrivateAddressFor)
            if (first != 10 && !inside) return null;
            int third = (int)((raw >> 16) & 0xFF), fourth = (int)((raw >> 24) & 0xFF);
            int n = (inside ? second - 16 : second) << 16 | third << 8 | fourth;
            int index = n - 1;
            var host = index >= 0 && index < _byIndex.Count ? _byIndex[index] : null;
            return host == null || host.IsBehindNat == inside ? host : null;
        }
    }
}

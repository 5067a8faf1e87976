using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime;

namespace PSPeer.Engine.BitTorrent
{
    /// <remarks>
    /// The UDP side of the tracker (BEP 15), on the same port number as its HTTP side. Every datagram is handled
    /// synchronously, alone: a connect gets a stateless connection id (<see cref="UdpConnectionIds"/>); an announce or
    /// scrape with a valid id goes to the same swarm state as HTTP with the datagram's source address (the address
    /// in the request only when <see cref="TrackerOptions.AllowClientAddress"/>); anything else gets BEP 15's error
    /// answer, or nothing when it is too short to carry a transaction id. No answer is larger than the request
    /// could justify by much (a connect answer is as long as the connect), and none exceeds one frame.
    /// </remarks>
    public sealed partial class BitTorrentTracker
    {
        // Short, so that an error answer to a spoofed 16-byte request amplifies little.
        const string BadConnectionId = "bad connection id";

        IDatagramSocket _udp;
        UdpConnectionIds _connectionIds;
        long _udpRequests, _udpRefused;

        /// <summary>"udp://host:port/announce" once started with UDP served; hand it to New-Torrent for BEP 15 announces.</summary>
        public string UdpAnnounceUrl => EndPoint == null || _udp == null ? null : "udp://" + EndPoint + AnnouncePath;
        /// <summary>UDP requests answered (connect, announce, scrape) and refused with an error answer.</summary>
        public long UdpRequests => System.Threading.Interlocked.Read(ref _udpRequests);
        public long UdpRefused => System.Threading.Interlocked.Read(ref _udpRefused);

        /// <summary>
        /// Binds UDP on the HTTP listener's port. When any free port was asked for and UDP has that number taken, both
        /// move to another free port (a few tries); a port the user chose that UDP cannot have is PortInUse.
        /// </summary>
        async Task StartUdpAsync(System.Threading.CancellationToken cancellationToken)
        {
            _connectionIds = new UdpConnectionIds(Runtime);
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    _udp = Runtime.Datagrams.Bind(_listener.Port, OnUdpDatagram);
                    return;
                }
                catch (PeerException e) when (e.ErrorId == PeerErrorIds.PortInUse && _port == 0 && attempt < 8)
                {
                    _listener.Dispose();
                    _listener = await Runtime.Transport.ListenAsync(0, cancellationToken);
                    EndPoint = _listener.EndPoint;
                }
                catch
                {
                    _listener.Dispose();
                    throw;
                }
            }
        }

        void StopUdp()
        {
            _udp?.Dispose();
        }

        void OnUdpDatagram(IDatagramSocket socket, IPEndPoint from, ArraySegment<byte> payload)
        {
            if (Stopping.IsCancellationRequested) return;
            if (!UdpTrackerCodec.TryReadHeader(payload, out long connectionId, out int action, out int transactionId)) return;
            var now = Now;
            byte[] answer;
            switch ((UdpTrackerAction)action)
            {
                case UdpTrackerAction.Connect:
                    // A datagram without the magic number is not BEP 15 at all (or a reflection attempt): no answer.
                    if (connectionId != UdpTrackerCodec.ProtocolId) return;
                    answer = UdpTrackerCodec.ConnectAnswer(transactionId, _connectionIds.Issue(from.Address, now));
                    break;
                case UdpTrackerAction.Announce:
                    answer = _connectionIds.IsValid(connectionId, from.Address, now)
                        ? UdpAnnounce(payload, from, now)
                        : Refuse(from, transactionId, BadConnectionId);
                    break;
                case UdpTrackerAction.Scrape:
                    answer = _connectionIds.IsValid(connectionId, from.Address, now)
                        ? UdpScrape(payload, from, transactionId, now)
                        : Refuse(from, transactionId, BadConnectionId);
                    break;
                default:
                    answer = Refuse(from, transactionId, "unknown action");
                    break;
            }
            System.Threading.Interlocked.Increment(ref _udpRequests);
            try { socket.Send(answer, 0, answer.Length, from); }
            catch (ObjectDisposedException) { /* stopping */ }
            catch (PeerException) { /* an address family this socket cannot reach */ }
        }

        byte[] UdpAnnounce(ArraySegment<byte> payload, IPEndPoint from, DateTimeOffset now)
        {
            var r = UdpTrackerCodec.ParseAnnounce(payload, out string failure);
            if (r == null)
            {
                UdpTrackerCodec.TryReadHeader(payload, out _, out _, out int tid);
                return Refuse(from, tid, failure);
            }
            var source = from.Address.IsIPv4MappedToIPv6 ? from.Address.MapToIPv4() : from.Address;
            var address = _options.AllowClientAddress && r.IPv4 != 0
                ? new IPAddress(new[] { (byte)(r.IPv4 >> 24), (byte)(r.IPv4 >> 16), (byte)(r.IPv4 >> 8), (byte)r.IPv4 })
                : source;
            var request = new AnnounceRequest
            {
                InfoHash = r.InfoHash,
                PeerId = r.PeerId,
                Port = r.Port,
                Uploaded = r.Uploaded,
                Downloaded = r.Downloaded,
                Left = r.Left,
                Event = r.Event,
                NumWant = r.NumWant < 0 ? _options.DefaultNumWant : Math.Min(r.NumWant, _options.MaxNumWant),
                Compact = true,
                Key = r.Key == 0 ? null : r.Key.ToString("x8", CultureInfo.InvariantCulture),
                IP = address.ToString(),
                Source = source.ToString(),   // quotas are charged to the datagram's source, whatever the IP field says
            };
            var outcome = _state.Announce(request, now, httpBody: false);
            if (HasEventObservers) EmitAnnounce(from.ToString(), request, outcome, udp: true);
            if (outcome.Failure != null) return Refuse(from, r.TransactionId, outcome.Failure, emit: false);
            // BEP 15: the answer lists peers of the family the request came over (6 bytes IPv4, 18 bytes IPv6).
            bool ipv6 = source.AddressFamily == AddressFamily.InterNetworkV6;
            int peerLength = ipv6 ? 18 : 6;
            var compact = new List<byte[]>();
            if (outcome.Peers != null)
                foreach (var p in outcome.Peers)
                    if (p.Compact != null && p.Compact.Length == peerLength) compact.Add(p.Compact);
            int interval = (int)Math.Min(int.MaxValue, Math.Max(1, (long)_options.Interval.TotalSeconds));
            return UdpTrackerCodec.AnnounceAnswer(r.TransactionId, interval, outcome.Incomplete, outcome.Complete, compact, peerLength);
        }

        byte[] UdpScrape(ArraySegment<byte> payload, IPEndPoint from, int transactionId, DateTimeOffset now)
        {
            var hashes = UdpTrackerCodec.ParseScrape(payload, out string failure);
            if (hashes == null) return Refuse(from, transactionId, failure);
            return UdpTrackerCodec.ScrapeAnswer(transactionId, hashes, _state.Scrape(hashes, now));
        }

        byte[] Refuse(IPEndPoint from, int transactionId, string reason, bool emit = true)
        {
            System.Threading.Interlocked.Increment(ref _udpRefused);
            if (emit && HasEventObservers)
                Emit(PeerEventTypes.MalformedMessage, from.ToString(), "udp tracker request refused: " + reason, D("Reason", reason), D("Transport", "udp"));
            return UdpTrackerCodec.ErrorAnswer(transactionId, reason);
        }
    }
}

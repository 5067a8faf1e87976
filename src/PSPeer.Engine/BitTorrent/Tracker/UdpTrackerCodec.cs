using System;
using System.Collections.Generic;
using System.Text;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>BEP 15 actions: the second 32-bit field of every request and answer.</summary>
    enum UdpTrackerAction
    {
        Connect = 0,
        Announce = 1,
        Scrape = 2,
        Error = 3,
    }

    /// <summary>A decoded BEP 15 announce request (98 bytes; BEP 41 options after it are ignored).</summary>
    sealed class UdpAnnounceRequest
    {
        public long ConnectionId;
        public int TransactionId;
        public InfoHash InfoHash;
        public byte[] PeerId;
        public long Downloaded;
        public long Left;
        public long Uploaded;
        public AnnounceEvent Event;
        /// <summary>The IPv4 address the client names, or 0 for "the address this came from".</summary>
        public uint IPv4;
        public uint Key;
        /// <summary>-1 (or any negative) for the tracker's default.</summary>
        public int NumWant;
        public int Port;
    }

    /// <summary>A decoded announce answer: the interval, the counts, and the peers in compact form.</summary>
    sealed class UdpAnnounceAnswer
    {
        public int TransactionId;
        public int IntervalSeconds;
        public int Leechers;
        public int Seeders;
        public List<HostPort> Peers = new List<HostPort>();
    }

    /// <summary>
    /// BEP 15's wire format, sans-IO: requests and answers to and from byte arrays, big-endian, every length and
    /// field checked before use. Parsing never throws on hostile input: it returns null and the reason.
    /// </summary>
    static class UdpTrackerCodec
    {
        /// <summary>The magic constant a connect request carries.</summary>
        public const long ProtocolId = 0x41727101980L;
        public const int ConnectLength = 16;
        public const int AnnounceLength = 98;
        public const int ScrapeHeaderLength = 16;
        /// <summary>BEP 15: up to about 74 torrents fit one scrape.</summary>
        public const int MaxScrapeHashes = 74;
        /// <summary>Answers stay within one Ethernet frame (1500 minus IPv4 and UDP headers), so nothing is fragmented.</summary>
        public const int MaxAnswerBytes = 1472;
        /// <summary>The longest error message sent.</summary>
        const int MaxErrorMessageBytes = 256;

        // ---- requests (client side encodes, tracker side parses) ----

        public static byte[] Connect(int transactionId)
        {
            var b = new byte[ConnectLength];
            WriteInt64(b, 0, ProtocolId);
            WriteInt32(b, 8, (int)UdpTrackerAction.Connect);
            WriteInt32(b, 12, transactionId);
            return b;
        }

        public static byte[] Announce(UdpAnnounceRequest r)
        {
            var b = new byte[AnnounceLength];
            WriteInt64(b, 0, r.ConnectionId);
            WriteInt32(b, 8, (int)UdpTrackerAction.Announce);
            WriteInt32(b, 12, r.TransactionId);
            var hash = r.InfoHash.ToArray();
            Buffer.BlockCopy(hash, 0, b, 16, 20);
            Buffer.BlockCopy(r.PeerId, 0, b, 36, 20);
            WriteInt64(b, 56, r.Downloaded);
            WriteInt64(b, 64, r.Left);
            WriteInt64(b, 72, r.Uploaded);
            WriteInt32(b, 80, EventCode(r.Event));
            WriteInt32(b, 84, (int)r.IPv4);
            WriteInt32(b, 88, (int)r.Key);
            WriteInt32(b, 92, r.NumWant);
            b[96] = (byte)(r.Port >> 8);
            b[97] = (byte)r.Port;
            return b;
        }

        public static byte[] Scrape(long connectionId, int transactionId, IReadOnlyList<InfoHash> hashes)
        {
            var b = new byte[ScrapeHeaderLength + 20 * hashes.Count];
            WriteInt64(b, 0, connectionId);
            WriteInt32(b, 8, (int)UdpTrackerAction.Scrape);
            WriteInt32(b, 12, transactionId);
            for (int i = 0; i < hashes.Count; i++) Buffer.BlockCopy(hashes[i].ToArray(), 0, b, ScrapeHeaderLength + 20 * i, 20);
            return b;
        }

        /// <summary>The action and transaction id every request carries (at offsets 8 and 12), or false when too short.</summary>
        public static bool TryReadHeader(ArraySegment<byte> d, out long connectionId, out int action, out int transactionId)
        {
            connectionId = 0; action = -1; transactionId = 0;
            if (d.Count < 16) return false;
            connectionId = ReadInt64(d.Array, d.Offset);
            action = ReadInt32(d.Array, d.Offset + 8);
            transactionId = ReadInt32(d.Array, d.Offset + 12);
            return true;
        }

        public static UdpAnnounceRequest ParseAnnounce(ArraySegment<byte> d, out string failure)
        {
            failure = null;
            if (d.Count < AnnounceLength) { failure = $"an announce is {AnnounceLength} bytes (got {d.Count})"; return null; }
            var a = d.Array;
            int o = d.Offset;
            var r = new UdpAnnounceRequest
            {
                ConnectionId = ReadInt64(a, o),
                TransactionId = ReadInt32(a, o + 12),
                InfoHash = new InfoHash(Slice(a, o + 16, 20)),
                PeerId = Slice(a, o + 36, 20),
                Downloaded = ReadInt64(a, o + 56),
                Left = ReadInt64(a, o + 64),
                Uploaded = ReadInt64(a, o + 72),
                IPv4 = (uint)ReadInt32(a, o + 84),
                Key = (uint)ReadInt32(a, o + 88),
                NumWant = ReadInt32(a, o + 92),
                Port = (a[o + 96] << 8) | a[o + 97],
            };
            int ev = ReadInt32(a, o + 80);
            switch (ev)
            {
                case 0: r.Event = AnnounceEvent.None; break;
                case 1: r.Event = AnnounceEvent.Completed; break;
                case 2: r.Event = AnnounceEvent.Started; break;
                case 3: r.Event = AnnounceEvent.Stopped; break;
                default: failure = "event must be 0 (none), 1 (completed), 2 (started) or 3 (stopped)"; return null;
            }
            if (r.Downloaded < 0 || r.Left < 0 || r.Uploaded < 0) { failure = "downloaded, left and uploaded must not be negative"; return null; }
            if (r.Port == 0) { failure = "port must be 1 to 65535"; return null; }
            return r;
        }

        /// <summary>The info-hashes of a scrape request: 1 to <see cref="MaxScrapeHashes"/>, a whole number of 20-byte hashes.</summary>
        public static List<InfoHash> ParseScrape(ArraySegment<byte> d, out string failure)
        {
            failure = null;
            int body = d.Count - ScrapeHeaderLength;
            if (body <= 0 || body % 20 != 0) { failure = "a scrape carries one or more 20-byte info-hashes"; return null; }
            if (body / 20 > MaxScrapeHashes) { failure = $"a scrape asks for at most {MaxScrapeHashes} torrents"; return null; }
            var hashes = new List<InfoHash>(body / 20);
            for (int i = 0; i < body / 20; i++) hashes.Add(new InfoHash(Slice(d.Array, d.Offset + ScrapeHeaderLength + 20 * i, 20)));
            return hashes;
        }

        // ---- answers (tracker side encodes, client side parses) ----

        public static byte[] ConnectAnswer(int transactionId, long connectionId)
        {
            var b = new byte[16];
            WriteInt32(b, 0, (int)UdpTrackerAction.Connect);
            WriteInt32(b, 4, transactionId);
            WriteInt64(b, 8, connectionId);
            return b;
        }

        /// <summary>An announce answer with as many of <paramref name="compactPeers"/> (all 6 or all 18 bytes) as fit one frame.</summary>
        public static byte[] AnnounceAnswer(int transactionId, int intervalSeconds, int leechers, int seeders, IReadOnlyList<byte[]> compactPeers, int peerLength)
        {
            int fit = Math.Min(compactPeers.Count, (MaxAnswerBytes - 20) / peerLength);
            var b = new byte[20 + fit * peerLength];
            WriteInt32(b, 0, (int)UdpTrackerAction.Announce);
            WriteInt32(b, 4, transactionId);
            WriteInt32(b, 8, intervalSeconds);
            WriteInt32(b, 12, leechers);
            WriteInt32(b, 16, seeders);
            for (int i = 0; i < fit; i++) Buffer.BlockCopy(compactPeers[i], 0, b, 20 + i * peerLength, peerLength);
            return b;
        }

        /// <summary>One (seeders, completed, leechers) triple per hash asked, zeros for a torrent the tracker does not know.</summary>
        public static byte[] ScrapeAnswer(int transactionId, IReadOnlyList<InfoHash> asked, IReadOnlyList<ScrapeEntry> known)
        {
            var b = new byte[8 + 12 * asked.Count];
            WriteInt32(b, 0, (int)UdpTrackerAction.Scrape);
            WriteInt32(b, 4, transactionId);
            for (int i = 0; i < asked.Count; i++)
            {
                ScrapeEntry entry = null;
                foreach (var k in known) if (k.InfoHash.Equals(asked[i])) { entry = k; break; }
                if (entry == null) continue;
                WriteInt32(b, 8 + 12 * i, entry.Complete);
                WriteInt32(b, 12 + 12 * i, entry.Downloaded);
                WriteInt32(b, 16 + 12 * i, entry.Incomplete);
            }
            return b;
        }

        public static byte[] ErrorAnswer(int transactionId, string message)
        {
            var text = Encoding.UTF8.GetBytes(message ?? "");
            int n = Math.Min(text.Length, MaxErrorMessageBytes);
            var b = new byte[8 + n];
            WriteInt32(b, 0, (int)UdpTrackerAction.Error);
            WriteInt32(b, 4, transactionId);
            Buffer.BlockCopy(text, 0, b, 8, n);
            return b;
        }

        /// <summary>The action and transaction id of an answer (its first 8 bytes), or false when shorter.</summary>
        public static bool TryReadAnswerHeader(ArraySegment<byte> d, out int action, out int transactionId)
        {
            action = -1; transactionId = 0;
            if (d.Count < 8) return false;
            action = ReadInt32(d.Array, d.Offset);
            transactionId = ReadInt32(d.Array, d.Offset + 4);
            return true;
        }

        public static bool TryParseConnectAnswer(ArraySegment<byte> d, out long connectionId)
        {
            connectionId = 0;
            if (d.Count < 16) return false;
            connectionId = ReadInt64(d.Array, d.Offset + 8);
            return true;
        }

        /// <summary>Peers are 6 bytes each over IPv4, 18 over IPv6 (the family the request travelled on).</summary>
        public static UdpAnnounceAnswer ParseAnnounceAnswer(ArraySegment<byte> d, bool ipv6, out string failure)
        {
            failure = null;
            int peerLength = ipv6 ? 18 : 6;
            if (d.Count < 20) { failure = $"an announce answer has at least 20 bytes (got {d.Count})"; return null; }
            if ((d.Count - 20) % peerLength != 0) { failure = $"the peer list is not a whole number of {peerLength}-byte entries"; return null; }
            var a = d.Array;
            int o = d.Offset;
            var answer = new UdpAnnounceAnswer
            {
                TransactionId = ReadInt32(a, o + 4),
                IntervalSeconds = ReadInt32(a, o + 8),
                Leechers = ReadInt32(a, o + 12),
                Seeders = ReadInt32(a, o + 16),
            };
            for (int p = o + 20; p < o + d.Count; p += peerLength)
            {
                var ip = new System.Net.IPAddress(Slice(a, p, peerLength - 2));
                int port = (a[p + peerLength - 2] << 8) | a[p + peerLength - 1];
                if (port == 0) continue;
                answer.Peers.Add(new HostPort(ip.ToString(), port));
            }
            return answer;
        }

        /// <summary>(seeders, completed, leechers) per hash asked, in order.</summary>
        public static List<ScrapeEntry> ParseScrapeAnswer(ArraySegment<byte> d, IReadOnlyList<InfoHash> asked, out string failure)
        {
            failure = null;
            if (d.Count < 8 + 12 * asked.Count) { failure = $"a scrape answer for {asked.Count} torrents has {8 + 12 * asked.Count} bytes (got {d.Count})"; return null; }
            var list = new List<ScrapeEntry>(asked.Count);
            for (int i = 0; i < asked.Count; i++)
            {
                int p = d.Offset + 8 + 12 * i;
                list.Add(new ScrapeEntry(asked[i], ReadInt32(d.Array, p), ReadInt32(d.Array, p + 8), ReadInt32(d.Array, p + 4)));
            }
            return list;
        }

        public static string ParseErrorMessage(ArraySegment<byte> d) =>
            d.Count <= 8 ? "" : Encoding.UTF8.GetString(d.Array, d.Offset + 8, Math.Min(d.Count - 8, MaxErrorMessageBytes));

        static int EventCode(AnnounceEvent e)
        {
            switch (e)
            {
                case AnnounceEvent.Completed: return 1;
                case AnnounceEvent.Started: return 2;
                case AnnounceEvent.Stopped: return 3;
                default: return 0;
            }
        }

        static byte[] Slice(byte[] a, int offset, int count)
        {
            var s = new byte[count];
            Buffer.BlockCopy(a, offset, s, 0, count);
            return s;
        }

        internal static int ReadInt32(byte[] a, int o) => (a[o] << 24) | (a[o + 1] << 16) | (a[o + 2] << 8) | a[o + 3];
        internal static long ReadInt64(byte[] a, int o) => ((long)(uint)ReadInt32(a, o) << 32) | (uint)ReadInt32(a, o + 4);

        internal static void WriteInt32(byte[] b, int o, int v)
        {
            b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v;
        }

        internal static void WriteInt64(byte[] b, int o, long v)
        {
            WriteInt32(b, o, (int)(v >> 32));
            WriteInt32(b, o + 4, (int)v);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Net;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.BitTorrent
{
    /// <summary>One peer as the tracker remembers it. Guarded by the tracker state's lock.</summary>
    sealed class TrackerPeerEntry
    {
        public TrackerPeerEntry(string id, byte[] peerId) { Id = id; PeerId = peerId; }

        /// <summary>The peer id as a dictionary key (one char per byte).</summary>
        public string Id { get; }
        public byte[] PeerId { get; }
        public string Key;
        /// <summary>The address handed out: the announce's source, or its "ip" where the operator allows that.</summary>
        public string Host;
        public int Port;
        /// <summary>BEP 23 form: 6 bytes (IPv4) or 18 (IPv6, BEP 7 "peers6").</summary>
        public byte[] Compact;
        public long Left;
        public DateTimeOffset LastSeen;
        public bool CountedDownload;
        /// <summary>Announces heard from it: a peer that came back once is worth more than a one-shot.</summary>
        public int Announces;
        public TrackerSwarm Swarm;
        /// <summary>The address whose quotas it counts against (where its announces come from).</summary>
        public TrackerAddress Source;
        /// <summary>Position in its source's peer list within its swarm.</summary>
        public int GroupSlot;
        /// <summary>Position in the swarm's last-seen order.</summary>
        public LinkedListNode<TrackerPeerEntry> AgeNode;
        /// <summary>Position in its source's eviction order (<see cref="TrackerAddress"/>).</summary>
        public LinkedListNode<TrackerPeerEntry> KeepNode;
        public bool IsSeeder => Left == 0;

        /// <summary>
        /// How much the tracker wants to keep this peer, 0 (least) to 3: seeders over leechers, then peers that have
        /// re-announced over one-shot announces. A flood is one-shot announces; a real seeder is a seeder and, after its
        /// first interval, a re-announcer.
        /// </summary>
        public int KeepClass => (IsSeeder ? 2 : 0) + (Announces > 1 ? 1 : 0);

        public HostPort EndPoint => new HostPort(Host, Port);

        public void SetAddress(string host, int port)
        {
            Host = host;
            Port = port;
            Compact = null;
            if (!IPAddress.TryParse(host, out var address)) return;
            var bytes = address.GetAddressBytes();   // 4 bytes for IPv4, 16 for IPv6
            Compact = new byte[bytes.Length + 2];
            Buffer.BlockCopy(bytes, 0, Compact, 0, bytes.Length);
            Compact[bytes.Length] = (byte)(port >> 8);
            Compact[bytes.Length + 1] = (byte)port;
        }

        /// <summary>True when <paramref name="other"/> should be evicted before this one (lower class, then staler).</summary>
        public bool KeptOver(TrackerPeerEntry other) =>
            KeepClass != other.KeepClass ? KeepClass > other.KeepClass : LastSeen > other.LastSeen;
    }
}

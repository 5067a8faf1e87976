using System;
using System.Globalization;

namespace PSPeer.Engine.Runtime.Admission
{
    /// <summary>
    /// What strangers may hold of one node: connections in all and per remote address, the descriptors they use,
    /// how long they may take to log in or handshake, and (HTTP) how many uploads run at once and how slowly a reader
    /// may take them. Every node has one (<see cref="Core.PeerNodeBase.Limits"/>); the <see cref="AdmissionGate"/>
    /// and the protocol code read it.
    /// </summary>
    /// <remarks>
    /// A value left unset takes the default of the node's <see cref="ServerKind"/> (see <see cref="For"/> for the
    /// figures and why), so <c>new ConnectionLimits { MaxConnectionsPerAddress = 64 }</c> (or the hashtable
    /// <c>@{ MaxConnectionsPerAddress = 64 }</c> in PowerShell) changes that one limit. Loopback is not exempt: setups
    /// that put many nodes on 127.0.0.1 raise the per-address limit themselves.
    /// </remarks>
    public sealed class ConnectionLimits
    {
        // A value left unset is 0 (the counts and durations, at least 1 and 10 ms once set) or -1 (the rate, 0 or more
        // once set), not a nullable: every node holds one of these, 72 bytes where nullable fields made it 120.
        int _maxConnections, _maxConnectionsPerAddress, _maxUploads;
        long _handshakeTicks, _messageTicks, _slowUploadWindowTicks;
        long _minUploadRate = Unset;
        DescriptorBudget _descriptorBudget;
        sbyte _kind = Unset;   // a ServerKind, or Unset
        const int Unset = -1;

        /// <summary>Limits with nothing set: every value is its kind's default once applied to a node.</summary>
        public ConnectionLimits() { }

        ConnectionLimits(ServerKind kind) { Kind = kind; }

        /// <summary>
        /// The defaults of one kind of server. Per address 8 everywhere (a household or office behind one NAT address
        /// runs a few clients; nginx's limit_conn examples use 1-10; libtorrent allows one per IP) except the tracker (16:
        /// announces are short and many clients sit behind carrier NAT). Node caps: index 4,096 (an OpenNap-era server held
        /// a few thousand users; 4,096 idle logins cost about 200 MB at most), HTTP 256 with 32 uploads at once, tracker
        /// 1,024 (opentracker serves with short-lived connections; 1,024 concurrent requests is far beyond what one
        /// announce per 30 minutes per peer needs), BitTorrent 200 (libtorrent's connections_limit), Gnutella 128 (32
        /// ultrapeer and 30 leaf links, HTTP uploads and handshakes in flight). Handshake deadlines: BitTorrent and
        /// Gnutella 20 s (libtorrent's handshake_timeout is 10 s; twice that for a loaded machine), HTTP 20 s for the first
        /// request head (nginx's client_header_timeout is 60 s; Apache's mod_reqtimeout allows 20-40 s), tracker 10 s (one
        /// short GET), Napster login 30 s and 60 s for a half-sent frame once logged in. A reader slower than 2 KiB/s
        /// (below a 56k modem) for 30 s is cut: it holds an upload slot and its buffers.
        /// </summary>
        public static ConnectionLimits For(ServerKind kind) => new ConnectionLimits(kind);

        /// <summary>Whose defaults fill the values left unset (null: the HTTP file server's).</summary>
        public ServerKind? Kind
        {
            get => _kind == Unset ? (ServerKind?)null : (ServerKind)_kind;
            private set => _kind = value.HasValue ? (sbyte)value.Value : (sbyte)Unset;
        }

        /// <summary>Most connections open at once (logged in or not). When full, the oldest connection still before its
        /// handshake makes room; when every connection is past its handshake, the newcomer is refused.</summary>
        public int MaxConnections { get => _maxConnections != 0 ? _maxConnections : Default(d => d.MaxConnections); set => _maxConnections = Positive(value, nameof(MaxConnections)); }
        /// <summary>Most connections from one remote address (127.0.0.1 included).</summary>
        public int MaxConnectionsPerAddress { get => _maxConnectionsPerAddress != 0 ? _maxConnectionsPerAddress : Default(d => d.PerAddress); set => _maxConnectionsPerAddress = Positive(value, nameof(MaxConnectionsPerAddress)); }
        /// <summary>Time from accept to a completed login, handshake or first request head; every byte counts against it.</summary>
        public TimeSpan HandshakeTimeout { get => _handshakeTicks != 0 ? TimeSpan.FromTicks(_handshakeTicks) : Default(d => d.Handshake); set => _handshakeTicks = Duration(value, nameof(HandshakeTimeout)).Ticks; }
        /// <summary>Once a message has begun to arrive (a Napster frame), the time it has to arrive whole.</summary>
        public TimeSpan MessageTimeout { get => _messageTicks != 0 ? TimeSpan.FromTicks(_messageTicks) : Default(d => d.Message); set => _messageTicks = Duration(value, nameof(MessageTimeout)).Ticks; }
        /// <summary>Most HTTP uploads (response bodies) sent at once; more get 503 with Retry-After.</summary>
        public int MaxUploads { get => _maxUploads != 0 ? _maxUploads : Default(d => d.Uploads); set => _maxUploads = Positive(value, nameof(MaxUploads)); }
        /// <summary>Bytes per second an HTTP reader must take, averaged over <see cref="SlowUploadWindow"/>, or be cut.</summary>
        public long MinUploadRate { get => _minUploadRate != Unset ? _minUploadRate : Default(d => d.MinRate); set => _minUploadRate = value < 0 ? throw new ArgumentOutOfRangeException(nameof(MinUploadRate), value, "MinUploadRate is 0 (no minimum) or more bytes per second.") : value; }
        /// <summary>The window over which <see cref="MinUploadRate"/> is measured.</summary>
        public TimeSpan SlowUploadWindow { get => _slowUploadWindowTicks != 0 ? TimeSpan.FromTicks(_slowUploadWindowTicks) : Default(d => d.Window); set => _slowUploadWindowTicks = Duration(value, nameof(SlowUploadWindow)).Ticks; }
        /// <summary>The descriptors connections draw from; null = <see cref="DescriptorBudget.Process"/> (shared by every node).</summary>
        public DescriptorBudget DescriptorBudget { get => _descriptorBudget; set => _descriptorBudget = value; }

        /// <summary>The budget to use: the configured one or the process's.</summary>
        internal DescriptorBudget EffectiveBudget => _descriptorBudget ?? DescriptorBudget.Process;

        /// <summary>These limits for <paramref name="kind"/>, with the values set in <paramref name="overrides"/> replacing this one's.</summary>
        public ConnectionLimits WithOverrides(ConnectionLimits overrides, ServerKind? kind = null)
        {
            var merged = new ConnectionLimits { Kind = kind ?? Kind };
            merged.CopySetValues(this);
            if (overrides != null) merged.CopySetValues(overrides);
            return merged;
        }

        void CopySetValues(ConnectionLimits from)
        {
            if (from._maxConnections != 0) _maxConnections = from._maxConnections;
            if (from._maxConnectionsPerAddress != 0) _maxConnectionsPerAddress = from._maxConnectionsPerAddress;
            if (from._handshakeTicks != 0) _handshakeTicks = from._handshakeTicks;
            if (from._messageTicks != 0) _messageTicks = from._messageTicks;
            if (from._maxUploads != 0) _maxUploads = from._maxUploads;
            if (from._minUploadRate != Unset) _minUploadRate = from._minUploadRate;
            if (from._slowUploadWindowTicks != 0) _slowUploadWindowTicks = from._slowUploadWindowTicks;
            _descriptorBudget = from._descriptorBudget ?? _descriptorBudget;
        }

        public override string ToString()
        {
            var ci = CultureInfo.InvariantCulture;
            string text = string.Format(ci, "{0} connections, {1} per address, handshake {2:0.#} s", MaxConnections, MaxConnectionsPerAddress, HandshakeTimeout.TotalSeconds);
            if (Kind == ServerKind.NapsterIndex) text += string.Format(ci, ", frame {0:0.#} s", MessageTimeout.TotalSeconds);
            if (Kind == null || Kind == ServerKind.HttpFileServer || Kind == ServerKind.GnutellaServent)
                text += string.Format(ci, ", {0} uploads, min {1} B/s over {2:0.#} s", MaxUploads, MinUploadRate, SlowUploadWindow.TotalSeconds);
            return text;
        }

        T Default<T>(Func<Defaults, T> pick) => pick(Defaults.Of(Kind ?? ServerKind.HttpFileServer));

        static int Positive(int value, string name) =>
            value < 1 ? throw new ArgumentOutOfRangeException(name, value, name + " is at least 1.") : value;

        // A number given where a TimeSpan is expected converts to ticks in PowerShell (@{ HandshakeTimeout = 5 } is 500 ns):
        // anything under 10 ms is that mistake, and the message says how to write it.
        static TimeSpan Duration(TimeSpan value, string name) =>
            value < TimeSpan.FromMilliseconds(10)
                ? throw new ArgumentOutOfRangeException(name, value, name + " is at least 10 ms: write it as '00:00:30' or [timespan]::FromSeconds(30).")
                : value;

        sealed class Defaults
        {
            public int MaxConnections, PerAddress, Uploads = 32;
            public TimeSpan Handshake = TimeSpan.FromSeconds(20), Message = TimeSpan.FromSeconds(60), Window = TimeSpan.FromSeconds(30);
            public long MinRate = 2048;

            static readonly Defaults Index = new Defaults { MaxConnections = 4096, PerAddress = 8, Handshake = TimeSpan.FromSeconds(30) };
            static readonly Defaults Http = new Defaults { MaxConnections = 256, PerAddress = 8 };
            static readonly Defaults Tracker = new Defaults { MaxConnections = 1024, PerAddress = 16, Handshake = TimeSpan.FromSeconds(10) };
            // The swarm keeps its own fair-slot rule after the handshake (SwarmOptions: 50 slots, 10 per address, newer
            // replaces older); the gate only caps raw sockets, so its per-address ceiling sits above the swarm's.
            static readonly Defaults Swarm = new Defaults { MaxConnections = 200, PerAddress = 16 };
            static readonly Defaults Servent = new Defaults { MaxConnections = 128, PerAddress = 8 };

            public static Defaults Of(ServerKind kind)
            {
                switch (kind)
                {
                    case ServerKind.NapsterIndex: return Index;
                    case ServerKind.Tracker: return Tracker;
                    case ServerKind.BitTorrentPeer: return Swarm;
                    case ServerKind.GnutellaServent: return Servent;
                    default: return Http;
                }
            }
        }
    }
}

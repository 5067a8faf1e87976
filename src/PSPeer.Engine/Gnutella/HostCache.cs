using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using PSPeer.Engine.Content;
using PSPeer.Engine.Core;
using PSPeer.Engine.Gnutella.Wire;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// Servents this one has heard of (Bootstrap, Pongs, X-Try-Ultrapeers): where AutoConnect dials, what a refusal's
    /// X-Try-Ultrapeers lists, and the pong cache that answers Pings without flooding them on.
    /// </summary>
    /// <remarks>
    /// Bounded: the oldest learnt is forgotten first (learning a known host again updates it in place, it does not make
    /// it newer). A host that failed is skipped until its back-off passes, doubling per failure, so a dead bootstrap
    /// entry costs a dial now and then rather than one per maintenance round.
    /// Stored compactly, since a simulated network holds one per servent: the entries are 8-byte structs in a ring in the
    /// order they were learnt (oldest at <see cref="_oldest"/>); a ring of up to <see cref="IndexFrom"/> slots is searched
    /// end to end (a few cache lines: as quick as hashing), a longer one through a chained hash index over its slots. The
    /// ring grows by doubling up to the capacity, and at capacity a new host takes the oldest one's slot. What only some
    /// hosts have (a cached Pong, a dial back-off) lives in a second array made when the first host needs it: a
    /// network build learns hosts by the million and pings or fails none of them. Nothing is allocated until the first
    /// host is learnt.
    /// A host written as an IPv4 literal (every simulated servent's, and most live ones') is kept as its address and
    /// port, not as a HostPort: lists are read into numbers, lookups compare numbers, the X-Try-Ultrapeers header is
    /// written from them, and a HostPort is made (or the process's shared one found) only when one is asked for, to
    /// dial. The entries then hold no references, so the collector need not read the rings. Any other host (a name,
    /// IPv6) is a HostPort in a third array, made when the first such host is learnt.
    /// </remarks>
    sealed class HostCache
    {
        // 8 bytes: what every host has, and nothing of the index (a 10^5 network's caches hold ~20 hosts each, one ring per
        // servent, most of them short enough to search without one).
        struct Entry
        {
            public uint Address;              // the host's IPv4 literal's value; 0 for any other host (its HostPort is in _named)
            public ushort Port;               // 0: the slot has held no host yet (a host's port is never 0)
            public bool KnownUltrapeer;
            public bool KnownLeaf;            // linked to us as a leaf: no use dialling it for an ultrapeer link
        }

        // Rings of up to this many slots are searched end to end; longer ones have _index.
        internal const int IndexFrom = 32;

        /// <summary>The most hosts a cache may hold (the index's links are 16 bits).</summary>
        public const int MaxCapacity = ushort.MaxValue;

        // What only some hosts have, by the same slot as their entry.
        struct Extra
        {
            public Pong Pong;                 // what it last said about itself; null when learnt otherwise
            public long RetryAfterUtcTicks;   // not dialled before this (0: any time)
            public byte Failures;
        }

        const int FirstRingLength = 4;
        const byte MaxFailures = 8;

        readonly int _capacity;
        readonly object _gate;
        Entry[] _ring;      // null until the first host
        Extra[] _extras;    // null until a host has a Pong or failed; as long as the ring
        HostPort[] _named;  // null until a host that is not an IPv4 literal; as long as the ring (null for literal hosts)
        ushort[] _index;    // null for a ring of up to IndexFrom slots; else [0, length): the head of each hash bucket,
                            // [length, 2 length): each slot's next in its bucket's chain; each as slot + 1, 0 for none
        int _oldest;        // slot of the oldest entry
        int _count;

        /// <param name="gate">The lock to take (the owner's, when it has one anyway); null for one of its own.</param>
        public HostCache(int capacity, object gate = null)
        {
            if (capacity < 1 || capacity > MaxCapacity) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A host cache holds 1 to 65,535 hosts.");
            _capacity = capacity;
            _gate = gate ?? new object();
            SharedEndpoints.CacheMade();
        }

        // Endpoints made from lists and headers lately, shared by every cache in the process (see SharedEndpointTable).
        // In a network build each ultrapeer names the same few hosts to every servent that links to it, and each
        // servent keeps them: a string and a HostPort apiece were a tenth of what a 10^5 build allocated.
        static readonly SharedEndpointTable SharedEndpoints = new SharedEndpointTable();

        public int Capacity => _capacity;

        public int Count { get { lock (_gate) return _count; } }

        public void Add(HostPort host, Pong pong = null, bool knownUltrapeer = false, bool knownLeaf = false)
        {
            if (host == null || host.Port <= 0 || host.Host == "0.0.0.0") return;
            lock (_gate)
            {
                uint address = host.Ipv4Address;
                int hash = address != 0 ? HashOf(address, host.Port) : HashOf(host.Host, host.Port);
                int found = address != 0 ? Find(address, host.Port, hash) : FindNamed(host, hash);
                if (found >= 0) Update(found, pong, knownUltrapeer, knownLeaf);
                // A name: the process's shared copy when there is one (the same host learnt by many servents is one object).
                else Insert(address, host.Port, address != 0 ? null : Shared(host), hash, pong, knownUltrapeer, knownLeaf);
            }
        }

        void Update(int slot, Pong pong, bool knownUltrapeer, bool knownLeaf)
        {
            ref var e = ref _ring[slot];
            if (pong != null) Extras()[slot].Pong = pong;
            if (knownUltrapeer) { e.KnownUltrapeer = true; e.KnownLeaf = false; }
            else if (knownLeaf) { e.KnownLeaf = true; e.KnownUltrapeer = false; }
        }

        // Under _gate: a host not known yet, as the newest: an IPv4 literal's address, or (address 0) the HostPort named.
        void Insert(uint address, int port, HostPort named, int hash, Pong pong, bool knownUltrapeer, bool knownLeaf)
        {
            int slot;
            if (_count == _capacity)
            {
                // Full (the ring is as long as the capacity): the newest takes the oldest one's slot.
                slot = _oldest;
                Unindex(slot);
                _oldest = (_oldest + 1) % _ring.Length;
            }
            else
            {
                if (_ring == null || _count == _ring.Length) Grow();
                slot = (_oldest + _count) % _ring.Length;
                _count++;
            }
            ref var e = ref _ring[slot];
            e.Address = address;
            e.Port = (ushort)port;
            if (named != null) Named()[slot] = named;
            else if (_named != null) _named[slot] = null;
            e.KnownUltrapeer = knownUltrapeer;
            e.KnownLeaf = knownLeaf && !knownUltrapeer;
            if (_extras != null) _extras[slot] = default;
            if (pong != null) Extras()[slot].Pong = pong;
            Index(slot, hash);
        }

        /// <summary>Hosts worth dialling now, newest first, skipping <paramref name="exclude"/>.</summary>
        public List<HostPort> Candidates(DateTimeOffset now, int max, ICollection<HostPort> exclude)
        {
            var result = new List<HostPort>();
            lock (_gate)
            {
                long ticks = now.UtcTicks;
                for (int k = _count - 1; k >= 0 && result.Count < max; k--)
                {
                    int slot = SlotOf(k);
                    if (_ring[slot].KnownLeaf || (_extras != null && _extras[slot].RetryAfterUtcTicks > ticks)) continue;
                    var host = HostAt(slot);
                    if (!exclude.Contains(host)) result.Add(host);
                }
            }
            return result;
        }

        public void Failed(HostPort host, DateTimeOffset now)
        {
            if (host == null) return;
            lock (_gate)
            {
                int slot = Find(host);
                if (slot < 0) return;
                ref var e = ref Extras()[slot];
                e.Failures = (byte)Math.Min(e.Failures + 1, MaxFailures);
                e.RetryAfterUtcTicks = (now + TimeSpan.FromSeconds(2 << e.Failures)).UtcTicks;
            }
        }

        public void Succeeded(HostPort host)
        {
            if (host == null) return;
            lock (_gate)
            {
                int slot = Find(host);
                if (slot < 0 || _extras == null) return;
                ref var e = ref _extras[slot];
                e.Failures = 0;
                e.RetryAfterUtcTicks = 0;
            }
        }

        /// <summary>
        /// Learns the hosts of a comma-separated "host:port" list (X-Try-Ultrapeers, X-Try), at most
        /// <paramref name="maxItems"/> items of it, read in place: a host already known costs no string or HostPort, and
        /// the ring grows at once to hold the new ones (not doubling through the sizes between).
        /// </summary>
        public void AddList(string list, int maxItems, bool knownUltrapeers)
        {
            if (!string.IsNullOrEmpty(list)) AddList(new Text(list), 0, list.Length, maxItems, knownUltrapeers);
        }

        /// <summary>As <see cref="AddList(string, int, bool)"/> on Latin-1 bytes[start .. start+length) (a handshake header as it arrived).</summary>
        internal void AddList(byte[] bytes, int start, int length, int maxItems, bool knownUltrapeers)
        {
            if (length > 0) AddList(new Text(bytes), start, start + length, maxItems, knownUltrapeers);
        }

        void AddList(Text list, int from, int to, int maxItems, bool knownUltrapeers)
        {
            lock (_gate)
            {
                // First the items (read once), counting those not known; then room for those at once; then each in order.
                var items = t_listItems ?? (t_listItems = new ListItem[20]);   // a servent reads at most 20 (twice what it lists)
                int count = 0, fresh = 0, taken = 0;
                for (int start = from; start <= to && taken < maxItems; taken++)
                {
                    int comma = list.IndexOf(',', start, to);
                    if (TryParseEndpoint(list, start, comma - start, out int hostStart, out int hostLength, out int port) && port > 0)
                    {
                        bool literal = list.TryParseIpv4(hostStart, hostLength, out uint address);
                        if (!literal || address != 0)   // 0.0.0.0: what Add ignores
                        {
                            int hash = literal ? HashOf(address, port) : HashOf(list, hostStart, hostLength, port);
                            if ((literal ? Find(address, port, hash) : FindNamed(list, hostStart, hostLength, port, hash)) < 0) fresh++;
                            if (count == items.Length) { Array.Resize(ref items, 2 * count); t_listItems = items; }
                            items[count++] = new ListItem { Address = address, Port = port, HostStart = hostStart, HostLength = hostLength, Hash = hash };
                        }
                    }
                    start = comma + 1;
                }
                if (fresh == 0) return;
                Reserve(fresh);
                for (int i = 0; i < count; i++)
                {
                    var item = items[i];
                    bool literal = item.Address != 0;
                    // Found again: the ring may have grown, and an item may repeat one before it.
                    int found = literal ? Find(item.Address, item.Port, item.Hash) : FindNamed(list, item.HostStart, item.HostLength, item.Port, item.Hash);
                    if (found >= 0) Update(found, null, knownUltrapeers, false);
                    else Insert(item.Address, item.Port, literal ? null : SharedEndpoint(list, item.HostStart, item.HostLength, item.Port, item.Hash),
                        item.Hash, null, knownUltrapeers, false);
                }
            }
        }

        // An item of a list being learnt: an IPv4 literal's address, or (0) a name at HostStart in the list's text.
        struct ListItem
        {
            public uint Address;
            public int Port, HostStart, HostLength, Hash;
        }

        // The items of the list AddList is learning on this thread (it reads one at a time, under a cache's lock).
        [ThreadStatic] static ListItem[] t_listItems;

        // text[hostStart .. +hostLength):port as a HostPort: the shared one when it is that exactly (same case), else a new one, then shared.
        static HostPort SharedEndpoint(Text text, int hostStart, int hostLength, int port, int hash)
        {
            var shared = SharedEndpoints.Find(text, hostStart, hostLength, port, hash);
            if (shared != null) return shared;
            var made = new HostPort(text.Substring(hostStart, hostLength), port);
            SharedEndpoints.Put(made, hash);
            return made;
        }

        /// <summary>
        /// The process's one HostPort equal to <paramref name="endPoint"/> with the same host string (so a servent's own
        /// listening endpoint, and a host learnt otherwise, are the objects the lists and Listen-IP headers read later
        /// resolve to); <paramref name="endPoint"/> itself, now shared, when there is none.
        /// </summary>
        internal static HostPort Shared(HostPort endPoint)
        {
            if (endPoint == null) return null;
            uint address = endPoint.Ipv4Address;
            int hash = address != 0 ? HashOf(address, endPoint.Port) : HashOf(endPoint.Host, endPoint.Port);
            var shared = address != 0
                ? SharedEndpoints.Find(address, endPoint.Port, hash)
                : SharedEndpoints.Find(new Text(endPoint.Host), 0, endPoint.Host.Length, endPoint.Port, hash);
            if (shared != null) return shared;
            SharedEndpoints.Put(endPoint, hash);
            return endPoint;
        }

        /// <summary>
        /// "host:port" in Latin-1 bytes[start .. start+length), as <see cref="HostPort.TryParse(string, out HostPort)"/>
        /// reads it: the endpoint shared with the lists lately read when it is that (see SharedEndpoint), else a new one
        /// whose host string is <paramref name="likely"/> itself when it is that host (no copy).
        /// </summary>
        internal static bool TryParseEndpoint(byte[] bytes, int start, int length, string likely, out HostPort endPoint)
        {
            endPoint = null;
            var text = new Text(bytes);
            if (!TryParseEndpoint(text, start, length, out int hostStart, out int hostLength, out int port)) return false;
            // Found by the numbers when the host is an IPv4 literal (the HostPort made of it says so too).
            bool literal = text.TryParseIpv4(hostStart, hostLength, out uint address) && address != 0;
            int hash = literal ? HashOf(address, port) : HashOf(text, hostStart, hostLength, port);
            endPoint = literal ? SharedEndpoints.Find(address, port, hash) : SharedEndpoints.Find(text, hostStart, hostLength, port, hash);
            if (endPoint != null) return true;
            string host = likely != null && likely.Length == hostLength && text.Is(hostStart, hostLength, likely) ? likely : text.Substring(hostStart, hostLength);
            endPoint = new HostPort(host, port);
            SharedEndpoints.Put(endPoint, hash);
            return true;
        }

        // "host:port" as HostPort.TryParse reads it (white space trimmed, brackets around the host dropped), without
        // making the strings.
        static bool TryParseEndpoint(Text text, int start, int length, out int hostStart, out int hostLength, out int port)
        {
            hostStart = hostLength = port = 0;
            int end = start + length;
            while (start < end && char.IsWhiteSpace(text[start])) start++;
            while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
            if (start == end) return false;
            int colon = end - 1;
            while (colon >= start && text[colon] != ':') colon--;
            if (colon <= start || colon == end - 1) return false;
            for (int i = colon + 1; i < end; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return false;
                port = port * 10 + (c - '0');
                if (port > 65535) return false;
            }
            int hs = start, he = colon;
            while (hs < he && (text[hs] == '[' || text[hs] == ']')) hs++;
            while (he > hs && (text[he - 1] == '[' || text[he - 1] == ']')) he--;
            hostStart = hs;
            hostLength = he - hs;
            return true;
        }

        /// <summary>Characters read in place: a string, or Latin-1 bytes (a header as it arrived).</summary>
        internal readonly struct Text
        {
            readonly string _string;
            readonly byte[] _bytes;

            public Text(string text) { _string = text; _bytes = null; }
            public Text(byte[] bytes) { _string = null; _bytes = bytes; }

            public char this[int i] => _string != null ? _string[i] : (char)_bytes[i];

            public string Substring(int start, int length) => _string != null ? _string.Substring(start, length) : Latin1.Text(_bytes, start, length);

            /// <summary>Whether [start .. start+length) is an IPv4 literal (see <see cref="Ipv4Literal"/>), and its value.</summary>
            public bool TryParseIpv4(int start, int length, out uint address) =>
                _string != null ? Ipv4Literal.TryParse(_string, start, length, out address) : Ipv4Literal.TryParse(_bytes, start, length, out address);

            /// <summary>The first <paramref name="c"/> from <paramref name="start"/> before <paramref name="end"/>, or end.</summary>
            public int IndexOf(char c, int start, int end)
            {
                for (int i = start; i < end; i++) if (this[i] == c) return i;
                return end;
            }

            /// <summary>Whether [start .. start+length) is <paramref name="other"/>, exactly.</summary>
            public bool Is(int start, int length, string other)
            {
                if (length != other.Length) return false;
                for (int i = 0; i < length; i++) if (this[start + i] != other[i]) return false;
                return true;
            }

            /// <summary>Whether [start .. start+length) is <paramref name="other"/>, ignoring case as StringComparer.OrdinalIgnoreCase does.</summary>
            public bool IsIgnoringCase(int start, int length, string other)
            {
                if (length != other.Length) return false;
                for (int i = 0; i < length; i++)
                {
                    char x = this[start + i], y = other[i];
                    if (x != y && Upper(x) != Upper(y)) return false;
                }
                return true;
            }
        }

        static char Upper(char c) => c < 0x80 ? ((uint)(c - 'a') <= 'z' - 'a' ? (char)(c - 32) : c) : char.ToUpperInvariant(c);

        /// <summary>
        /// Writes "<paramref name="name"/>: host:port,host:port" (ultrapeers first, at most <paramref name="max"/>) into
        /// <paramref name="writer"/>, as <see cref="TryUltrapeersHeader"/> says it, without the strings; nothing when no
        /// host qualifies.
        /// </summary>
        internal void WriteTryUltrapeers(HandshakeHeadWriter writer, string name, int max, HostPort exclude)
        {
            lock (_gate)
            {
                int written = 0;
                for (int pass = 0; pass < 2; pass++)
                    for (int k = _count - 1; k >= 0 && written < max; k--)
                    {
                        int slot = SlotOf(k);
                        ref var e = ref _ring[slot];
                        if (e.KnownLeaf || e.KnownUltrapeer != (pass == 0) || Is(slot, exclude)) continue;
                        if (written++ == 0) writer.BeginHeader(name);
                        else writer.Comma();
                        if (e.Address != 0) writer.Ipv4EndpointValue(e.Address, e.Port);
                        else writer.HostPortValue(_named[slot]);
                    }
                if (written > 0) writer.EndHeader();
            }
        }

        /// <summary>Up to <paramref name="max"/> hosts as "ip:port,ip:port" for X-Try-Ultrapeers (ultrapeers first).</summary>
        public string TryUltrapeersHeader(int max, HostPort exclude)
        {
            var list = new StringBuilder();
            lock (_gate)
            {
                int written = 0;
                for (int pass = 0; pass < 2; pass++)
                    for (int k = _count - 1; k >= 0 && written < max; k--)
                    {
                        int slot = SlotOf(k);
                        ref var e = ref _ring[slot];
                        if (e.KnownLeaf || e.KnownUltrapeer != (pass == 0) || Is(slot, exclude)) continue;
                        if (written++ > 0) list.Append(',');
                        if (e.Address != 0) list.Append(Ipv4Literal.Format(e.Address)).Append(':').Append(e.Port);
                        else list.Append(_named[slot].ToString());
                    }
            }
            return list.ToString();
        }

        /// <summary>Cached pongs to answer a Ping with, newest first, not the asker's own.</summary>
        public List<Pong> Pongs(int max, HostPort exclude)
        {
            var result = new List<Pong>();
            lock (_gate)
            {
                if (_extras == null) return result;
                for (int k = _count - 1; k >= 0 && result.Count < max; k--)
                {
                    int slot = SlotOf(k);
                    var pong = _extras[slot].Pong;
                    if (pong != null && !_ring[slot].KnownLeaf && !Is(slot, exclude)) result.Add(pong);
                }
            }
            return result;
        }

        /// <summary>The hosts oldest first (for tests of the order and the bound).</summary>
        internal List<HostPort> OldestFirst()
        {
            lock (_gate)
            {
                var result = new List<HostPort>(_count);
                for (int k = 0; k < _count; k++) result.Add(HostAt(SlotOf(k)));
                return result;
            }
        }

        // Under _gate: the extras, made (as long as the ring) when the first host needs one.
        Extra[] Extras() => _extras ?? (_extras = new Extra[_ring.Length]);

        // Under _gate: the named hosts, made (as long as the ring) when the first one is learnt.
        HostPort[] Named() => _named ?? (_named = new HostPort[_ring.Length]);

        // Under _gate: the host in slot as a HostPort, to dial: a name's own; an address's, the process's shared one when
        // there is one, else one made now and shared (so every cache that hands out this host hands out one object).
        HostPort HostAt(int slot)
        {
            ref var e = ref _ring[slot];
            if (e.Address == 0) return _named[slot];
            int hash = HashOf(e.Address, e.Port);
            var shared = SharedEndpoints.Find(e.Address, e.Port, hash);
            if (shared != null) return shared;
            var made = new HostPort(Ipv4Literal.Format(e.Address), e.Port);
            SharedEndpoints.Put(made, hash);
            return made;
        }

        // Under _gate: whether the host in slot is other (as HostPort.Equals says), without making its HostPort.
        bool Is(int slot, HostPort other)
        {
            if (other == null) return false;
            ref var e = ref _ring[slot];
            return e.Address != 0 ? e.Address == other.Ipv4Address && e.Port == other.Port : _named[slot].Equals(other);
        }

        // The slot of the k-th oldest entry.
        int SlotOf(int k) => (_oldest + k) % _ring.Length;

        // The index's hash of host:port: case-insensitive like HostPort's equality, computed on the characters in place
        // (an item of a list need not become a string to be looked up), and seeded per process so strangers cannot
        // aim their hosts at one chain.
        static readonly int HashSeed = StringComparer.OrdinalIgnoreCase.GetHashCode("PSPeer.HostCache");

        internal static int HashOf(string host, int port) => HashOf(new Text(host), 0, host.Length, port);

        // The hash of an IPv4 literal host:port, from the numbers (a multiplicative mix, so the low bits that pick a
        // bucket depend on every bit of the address).
        internal static int HashOf(uint address, int port)
        {
            uint h = (address ^ (uint)HashSeed) * 0x9E3779B1u;
            h = (h ^ (uint)port ^ (h >> 16)) * 0x85EBCA6Bu;
            h ^= h >> 13;
            return (int)(h & 0x7FFFFFFF);
        }

        static int HashOf(Text text, int start, int length, int port)
        {
            uint h = (uint)HashSeed ^ 2166136261;
            for (int i = start; i < start + length; i++) h = (h ^ Upper(text[i])) * 16777619;
            h = (h ^ (uint)port) * 16777619;
            return (int)(h & 0x7FFFFFFF);
        }

        // The slot of the entry for the IPv4 literal host address:port, or -1.
        int Find(uint address, int port, int hash)
        {
            for (int slot = First(hash); slot >= 0; slot = Next(slot))
                if (_ring[slot].Address == address && _ring[slot].Port == port) return slot;
            return -1;
        }

        // The slot of the entry for the named host text[start .. start+length):port (compared ignoring case), or -1.
        int FindNamed(Text text, int start, int length, int port, int hash)
        {
            for (int slot = First(hash); slot >= 0; slot = Next(slot))
                if (_ring[slot].Address == 0 && _ring[slot].Port == port && text.IsIgnoringCase(start, length, _named[slot].Host)) return slot;
            return -1;
        }

        int FindNamed(HostPort host, int hash)
        {
            for (int slot = First(hash); slot >= 0; slot = Next(slot))
                if (_ring[slot].Address == 0 && _ring[slot].Port == host.Port && _named[slot].Equals(host)) return slot;
            return -1;
        }

        // The slots a host of this hash may be in: every slot of a short ring (one not yet used has port 0, which no
        // host has), the bucket's chain in a long one. -1 ends them.
        int First(int hash)
        {
            if (_ring == null) return -1;
            return _index == null ? 0 : _index[hash % _ring.Length] - 1;
        }

        int Next(int slot) => _index == null ? (slot + 1 < _ring.Length ? slot + 1 : -1) : _index[_ring.Length + slot] - 1;

        int Find(HostPort host)
        {
            uint address = host.Ipv4Address;
            return address != 0 ? Find(address, host.Port, HashOf(address, host.Port)) : FindNamed(host, HashOf(host.Host, host.Port));
        }

        // The index's hash of the host in slot.
        int HashAt(int slot)
        {
            ref var e = ref _ring[slot];
            return e.Address != 0 ? HashOf(e.Address, e.Port) : HashOf(_named[slot].Host, e.Port);
        }

        void Index(int slot, int hash)
        {
            if (_index == null) return;
            int bucket = hash % _ring.Length;
            _index[_ring.Length + slot] = _index[bucket];
            _index[bucket] = (ushort)(slot + 1);
        }

        void Unindex(int slot)
        {
            if (_index == null) return;
            int length = _ring.Length, bucket = HashAt(slot) % length;
            ushort next = _index[length + slot];
            if (_index[bucket] == slot + 1) { _index[bucket] = next; return; }
            for (int at = _index[bucket] - 1; at >= 0; at = _index[length + at] - 1)
                if (_index[length + at] == slot + 1) { _index[length + at] = next; return; }
        }

        // Room a list leaves beyond its own hosts: the host of the link it came with is learnt next.
        const int ListSlack = 2;

        // Room for `more` new hosts (a list's), in one step: what they need and a little more, in steps of four, rather
        // than the next power of two. A servent learns most of its hosts a list at a time, a few lists in all (a leaf:
        // ten hosts from each of its three ultrapeers, and each of them), so doubling left up to half of a ring that
        // stays for good empty, and a list's growth past it made the next power of two.
        void Reserve(int more)
        {
            int length = _ring?.Length ?? 0;
            if (_count + more <= length || length == _capacity) return;
            Grow((int)Math.Min(_capacity, (_count + more + ListSlack + 3L) & ~3L));
        }

        /// <summary>The ring's length now (for tests of its growth).</summary>
        internal int RingLength { get { lock (_gate) return _ring?.Length ?? 0; } }

        void Grow() => Grow(_ring == null ? Math.Min(FirstRingLength, _capacity) : (int)Math.Min(_capacity, 2L * _ring.Length));

        // A longer ring (doubling, at most the capacity) with the entries oldest first from slot 0, indexed anew.
        void Grow(int length)
        {
            var ring = new Entry[length];
            Extra[] extras = _extras == null ? null : new Extra[length];
            HostPort[] named = _named == null ? null : new HostPort[length];
            for (int k = 0; k < _count; k++)
            {
                int from = SlotOf(k);
                ring[k] = _ring[from];
                if (extras != null) extras[k] = _extras[from];
                if (named != null) named[k] = _named[from];
            }
            _ring = ring;
            _extras = extras;
            _named = named;
            _oldest = 0;
            _index = length > IndexFrom ? new ushort[2 * length] : null;
            if (_index != null) for (int slot = 0; slot < _count; slot++) Index(slot, HashAt(slot));
        }
    }
}

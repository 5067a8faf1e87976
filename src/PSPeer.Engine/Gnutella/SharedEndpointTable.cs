using System.Threading;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// HostPorts shared by every <see cref="HostCache"/> in the process, found by the host cache's hash of host:port
    /// (a HostPort never changes, so one object serves every servent that learns that host).
    /// </summary>
    /// <remarks>
    /// A cache of references, not a set: an endpoint may sit in either slot of its pair, a third one of the same pair
    /// pushes the older of the two out, and a race between threads only makes one more copy. A network names about one
    /// endpoint per servent, so the table keeps at least two slots per host cache the process has made: it starts at
    /// 2^13 slots (64 KiB, what a live process holds) and doubles while the caches outnumber half its slots, up to 2^21
    /// (16 MiB, for 10^6 servents); it grows as the servents are made, before they learn hosts. Fixed at 2^16 and
    /// direct-mapped, a 10^5-servent network's endpoints pushed each other out and were made again: 4.4 HostPorts per
    /// servent, each with its own host string, where about one would do.
    /// </remarks>
    sealed class SharedEndpointTable
    {
        const int FirstSlots = 1 << 13;
        const int MaxSlots = 1 << 21;

        HostPort[] _slots = new HostPort[FirstSlots];
        int _caches;
        readonly object _growGate = new object();

        /// <summary>How many slots the table has now (for tests).</summary>
        internal int Slots => Volatile.Read(ref _slots).Length;

        /// <summary>A host cache was made: the table grows when the caches outnumber half its slots.</summary>
        public void CacheMade()
        {
            int caches = Interlocked.Increment(ref _caches);
            if (2L * caches > Volatile.Read(ref _slots).Length) Grow(caches);
        }

        /// <summary>The shared endpoint whose host is text[start .. start+length) exactly (same case) and whose port is <paramref name="port"/>; null when none.</summary>
        internal HostPort Find(HostCache.Text text, int start, int length, int port, int hash)
        {
            var slots = Volatile.Read(ref _slots);
            int first = FirstOfPair(hash, slots.Length);
            var a = Volatile.Read(ref slots[first]);
            if (a != null && a.Port == port && text.Is(start, length, a.Host)) return a;
            var b = Volatile.Read(ref slots[first + 1]);
            if (b != null && b.Port == port && text.Is(start, length, b.Host)) return b;
            return null;
        }

        /// <summary>Shares <paramref name="endPoint"/> (of hash <paramref name="hash"/>), the newer of its pair.</summary>
        internal void Put(HostPort endPoint, int hash) => Put(Volatile.Read(ref _slots), endPoint, hash);

        static void Put(HostPort[] slots, HostPort endPoint, int hash)
        {
            int first = FirstOfPair(hash, slots.Length);
            var newer = Volatile.Read(ref slots[first]);
            // The newer moves to the second slot (its older neighbour, if any, goes), and this one takes the first.
            if (newer != null) Volatile.Write(ref slots[first + 1], newer);
            Volatile.Write(ref slots[first], endPoint);
        }

        static int FirstOfPair(int hash, int length) => hash & (length - 1) & ~1;

        void Grow(int caches)
        {
            lock (_growGate)
            {
                var old = _slots;
                if (2L * caches <= old.Length || old.Length >= MaxSlots) return;   // another thread grew it
                var slots = new HostPort[old.Length * 2];
                // Older (second) slots first, so each pair keeps its order where two land together again.
                for (int pass = 1; pass >= 0; pass--)
                    for (int i = pass; i < old.Length; i += 2)
                    {
                        var e = old[i];
                        if (e != null) Put(slots, e, HostCache.HashOf(e.Host, e.Port));
                    }
                Volatile.Write(ref _slots, slots);
            }
        }
    }
}

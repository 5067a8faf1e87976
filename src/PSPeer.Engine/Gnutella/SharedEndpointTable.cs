using System.Threading;
using PSPeer.Engine.Core;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// HostPorts shared by every <see cref="HostCache"/> in the process, found by the host cache's hash of host:port
    /// (a HostPort never changes, so one object serves every servent that learns that host). An IPv4 literal host is
    /// found by its address (no text compared), any other host by its text.
    /// </summary>
    /// <remarks>
    /// A cache of references, not a set: an endpoint may sit in any of the four slots of its set, a fifth one of the same
    /// set pushes the oldest out, and a race between threads only makes one more copy. (With pairs, 8 % of a 10^4
    /// network's endpoints were pushed out and made again, up to 9 copies each, every list naming them.) A network names about one
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

        // Each slot keeps its endpoint's hash beside it: a simulated network's servents all listen on one port, so the
        // port tells nothing and a probe would otherwise compare the host text of every endpoint in the set. A torn read
        // of the pair (another thread writing the slot) only misses (one more copy) or fails the text check after.
        struct Slot
        {
            public HostPort EndPoint;
            public int Hash;
        }

        Slot[] _slots = new Slot[FirstSlots];
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
            int first = FirstOfSet(hash, slots.Length);
            for (int i = first; i < first + Ways; i++)
            {
                var e = Volatile.Read(ref slots[i].EndPoint);
                if (e == null) return null;   // a set fills from its first slot: nothing after an empty one
                if (slots[i].Hash == hash && e.Port == port && text.Is(start, length, e.Host)) return e;
            }
            return null;
        }

        /// <summary>The shared endpoint whose host is the IPv4 literal of <paramref name="address"/> (see <see cref="HostPort.Ipv4Address"/>) and whose port is <paramref name="port"/>; null when none.</summary>
        internal HostPort Find(uint address, int port, int hash)
        {
            var slots = Volatile.Read(ref _slots);
            int first = FirstOfSet(hash, slots.Length);
            for (int i = first; i < first + Ways; i++)
            {
                var e = Volatile.Read(ref slots[i].EndPoint);
                if (e == null) return null;
                if (slots[i].Hash == hash && e.Port == port && e.Ipv4Address == address) return e;
            }
            return null;
        }

        /// <summary>Shares <paramref name="endPoint"/> (of hash <paramref name="hash"/>), the newest of its set.</summary>
        internal void Put(HostPort endPoint, int hash) => Put(Volatile.Read(ref _slots), endPoint, hash);

        static void Put(Slot[] slots, HostPort endPoint, int hash)
        {
            int first = FirstOfSet(hash, slots.Length);
            // Each one moves a slot along, newest first (the one in the last slot, if any, goes); this one takes the first.
            for (int i = first + Ways - 1; i > first; i--) slots[i] = slots[i - 1];
            slots[first].Hash = hash;
            Volatile.Write(ref slots[first].EndPoint, endPoint);
        }

        const int Ways = 4;

        static int FirstOfSet(int hash, int length) => hash & (length - 1) & ~(Ways - 1);

        void Grow(int caches)
        {
            lock (_growGate)
            {
                var old = _slots;
                if (2L * caches <= old.Length || old.Length >= MaxSlots) return;   // another thread grew it
                var slots = new Slot[old.Length * 2];
                // Oldest (last) slots of each set first, so a set keeps its order where its endpoints land together again.
                for (int way = Ways - 1; way >= 0; way--)
                    for (int i = way; i < old.Length; i += Ways)
                    {
                        var e = old[i].EndPoint;
                        if (e != null) Put(slots, e, old[i].Hash);
                    }
                Volatile.Write(ref _slots, slots);
            }
        }
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;

namespace PSPeer.Engine.Gnutella
{
    /// <summary>
    /// A servent's links in the order they came: added to in place, so a servent that gathers its links one by one
    /// fills an array that grows by doubling instead of copying the whole list for every link; a removal makes a new
    /// list. Read without a lock: what a reader holds only ever grows at its end.
    /// </summary>
    /// <remarks>
    /// Copy-on-write arrays (a new array per link that came or went) were a network build's garbage: k links made k
    /// arrays of 1..k entries, about 50 MiB in a 10^5-node build. Here the entries past <see cref="Count"/> are null,
    /// and an add writes the link there first and the count after it, so a reader that took the count sees every
    /// link up to it (and one that reads the array itself stops at the first null: the hot routing loops, and the
    /// servent's array of ultrapeer links is this array where every link is an ultrapeer's). A removal leaves this list
    /// as it is for whoever holds it (a reader keeps the snapshot it took, as with an array) and makes a new one with
    /// the same capacity. Only the owner's lock (the servent's _gate) changes a list; a simulated servent's loop is its
    /// only thread, and live readers meet nothing half-made.
    /// </remarks>
    sealed class LinkList : IReadOnlyList<GnutellaLink>
    {
        /// <summary>No links; never added to in place (the first add makes a list of its own).</summary>
        public static readonly LinkList Empty = new LinkList(new GnutellaLink[0], 0);

        readonly GnutellaLink[] _items;   // [0, _count) are the links, the rest null
        int _count;

        LinkList(GnutellaLink[] items, int count)
        {
            _items = items;
            _count = count;
        }

        public int Count => Volatile.Read(ref _count);
        /// <summary>Count, under the name an array's readers use.</summary>
        public int Length => Count;

        public GnutellaLink this[int index]
        {
            get
            {
                if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
                return _items[index];
            }
        }

        /// <summary>
        /// The array the links are kept in: the links in order, then nulls (a reader stops at the first null or at the
        /// end). It only grows at its end while this list is the servent's.
        /// </summary>
        internal GnutellaLink[] Items => _items;

        /// <summary>
        /// Under the owner's lock: this list with <paramref name="link"/> added at its end, in place when there is room
        /// and <paramref name="inPlace"/>; otherwise a new list with twice the room (at least <paramref name="firstCapacity"/>).
        /// </summary>
        public LinkList With(GnutellaLink link, int firstCapacity, bool inPlace = true)
        {
            if (link == null) throw new ArgumentNullException(nameof(link));
            int count = _count;
            if (inPlace && count < _items.Length && !ReferenceEquals(this, Empty))
            {
                // The link before the count: a reader that sees the new count sees the link.
                Volatile.Write(ref _items[count], link);
                Volatile.Write(ref _count, count + 1);
                return this;
            }
            var items = new GnutellaLink[Math.Max(Math.Max(1, firstCapacity), count < _items.Length ? _items.Length : count * 2)];
            Array.Copy(_items, items, count);
            items[count] = link;
            return new LinkList(items, count + 1);
        }

        /// <summary>A new list without <paramref name="link"/> and with the same room (this one when it is not here).</summary>
        public LinkList Without(GnutellaLink link)
        {
            int count = _count;
            int at = Array.IndexOf(_items, link, 0, count);
            if (at < 0) return this;
            if (count == 1) return Empty;
            var items = new GnutellaLink[_items.Length];
            Array.Copy(_items, 0, items, 0, at);
            Array.Copy(_items, at + 1, items, at, count - at - 1);
            return new LinkList(items, count - 1);
        }

        /// <summary>The links now, as an array of their own.</summary>
        public GnutellaLink[] ToArray()
        {
            int count = Count;
            var copy = new GnutellaLink[count];
            Array.Copy(_items, copy, count);
            return copy;
        }

        /// <summary>Walks the links there were when it began (a struct: a foreach over the list costs nothing).</summary>
        public Enumerator GetEnumerator() => new Enumerator(_items, Count);
        IEnumerator<GnutellaLink> IEnumerable<GnutellaLink>.GetEnumerator() => GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public struct Enumerator : IEnumerator<GnutellaLink>
        {
            readonly GnutellaLink[] _items;
            readonly int _count;
            int _at;

            internal Enumerator(GnutellaLink[] items, int count)
            {
                _items = items;
                _count = count;
                _at = -1;
            }

            public GnutellaLink Current => _items[_at];
            object IEnumerator.Current => Current;
            public bool MoveNext() => ++_at < _count;
            public void Reset() => _at = -1;
            public void Dispose() { }
        }
    }
}

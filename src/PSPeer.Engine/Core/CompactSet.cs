using System.Collections;
using System.Collections.Generic;

namespace PSPeer.Engine.Core
{
    /// <summary>
    /// A set of a few object references (a servent's link tasks, its connections in handshake): an array searched
    /// linearly by reference, grown by doubling, and let go when the set empties. Empty it costs one small object,
    /// where a HashSet keeps its buckets and entries; a simulated network holds two of these per servent.
    /// Not thread-safe (callers lock); enumerating walks a snapshot, so the set may change meanwhile.
    /// </summary>
    /// <remarks>For sets that stay small (tens of items): Add and Remove are linear in the count.</remarks>
    public sealed class CompactSet<T> : IEnumerable<T> where T : class
    {
        T[] _items;   // null while empty
        int _count;

        public int Count => _count;

        /// <summary>Adds <paramref name="item"/>; false when it is there already.</summary>
        public bool Add(T item)
        {
            if (IndexOf(item) >= 0) return false;
            if (_items == null) _items = new T[2];
            else if (_count == _items.Length) System.Array.Resize(ref _items, _count * 2);
            _items[_count++] = item;
            return true;
        }

        /// <summary>Removes <paramref name="item"/>; false when it was not there. The last item takes its place.</summary>
        public bool Remove(T item)
        {
            int at = IndexOf(item);
            if (at < 0) return false;
            _count--;
            _items[at] = _items[_count];
            _items[_count] = null;
            if (_count == 0) _items = null;
            return true;
        }

        public bool Contains(T item) => IndexOf(item) >= 0;

        public T[] ToArray()
        {
            var copy = new T[_count];
            if (_count > 0) System.Array.Copy(_items, copy, _count);
            return copy;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)ToArray()).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        int IndexOf(T item)
        {
            for (int i = 0; i < _count; i++)
                if (ReferenceEquals(_items[i], item)) return i;
            return -1;
        }
    }
}

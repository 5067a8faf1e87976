using System;
using System.Collections;
using System.Collections.Generic;

namespace PSPeer.Engine.Bencoding
{
    /// <summary>A bencoded list (l...e).</summary>
    public sealed class BList : BValue, IReadOnlyList<BValue>
    {
        readonly List<BValue> _items = new List<BValue>();

        public BList() { }

        public BList(IEnumerable<BValue> items)
        {
            foreach (var item in items) Add(item);
        }

        public void Add(BValue value) => _items.Add(value ?? throw new ArgumentNullException(nameof(value)));

        public BValue this[int index] => _items[index];
        public int Count => _items.Count;
        public IEnumerator<BValue> GetEnumerator() => _items.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
    }
}

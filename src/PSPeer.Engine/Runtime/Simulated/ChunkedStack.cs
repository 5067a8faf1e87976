namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// A stack of references kept in chunks of at most 8,192 (64 KiB), for the simulation's pools of free buffers and
    /// rings, which grow to hundreds of thousands of entries in a network's build.
    /// </summary>
    /// <remarks>
    /// Why not Stack&lt;T&gt; or a doubling array: past 10,600 references an array goes on the large object heap, and
    /// an allocation there, once the heap's large-object budget is spent, starts a full (gen-2) collection at once,
    /// in the middle of the build with the young generation full (measured: a 450 ms collection at 10^4 servents,
    /// started by the pools' growth). Chunks start small (16) and double up to the limit, so a small pool stays small.
    /// </remarks>
    sealed class ChunkedStack<T> where T : class
    {
        const int FirstChunk = 16;
        internal const int MaxChunk = 8192;

        sealed class Chunk
        {
            public readonly T[] Items;
            public Chunk Below;
            public Chunk(int size) => Items = new T[size];
        }

        Chunk _top;        // holds _topCount items; the chunks below it are full
        int _topCount;
        // Chunks emptied by pops, linked through Below, for the next pushes: a pool drains and refills in every wave of
        // a build, and chunks made anew each time cost as much as the arrays Stack<T> kept. What a stack once held it
        // keeps, as Stack<T> does.
        Chunk _spare;
        int _count;

        public int Count => _count;

        /// <summary>The longest array the stack holds now (for tests: it stays off the large object heap).</summary>
        internal int LongestChunk
        {
            get
            {
                int longest = 0;
                for (var chunk = _top; chunk != null; chunk = chunk.Below) longest = System.Math.Max(longest, chunk.Items.Length);
                return longest;
            }
        }

        public void Push(T item)
        {
            if (_top == null || _topCount == _top.Items.Length)
            {
                Chunk chunk;
                if (_spare != null)
                {
                    // The spares were emptied top first, so the first is the one that sat right above the top.
                    chunk = _spare;
                    _spare = chunk.Below;
                }
                else chunk = new Chunk(_top == null ? FirstChunk : System.Math.Min(2 * _top.Items.Length, MaxChunk));
                chunk.Below = _top;
                _top = chunk;
                _topCount = 0;
            }
            _top.Items[_topCount++] = item;
            _count++;
        }

        /// <summary>The last item pushed, taken off; the stack must not be empty.</summary>
        public T Pop()
        {
            var item = _top.Items[--_topCount];
            _top.Items[_topCount] = null;
            _count--;
            if (_topCount == 0 && _top.Below != null)
            {
                var emptied = _top;
                _top = emptied.Below;
                emptied.Below = _spare;
                _spare = emptied;
                _topCount = _top.Items.Length;
            }
            return item;
        }
    }
}

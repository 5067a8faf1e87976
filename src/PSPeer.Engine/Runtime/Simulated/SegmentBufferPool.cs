namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// Buffers for segments in flight, by power-of-two size: a segment's bytes are copied into one when written and
    /// it goes back once the reader has copied them out (or the connection dropped them), so a busy simulation
    /// reuses buffers instead of allocating one per write. Only the simulation's loop uses it (no locking).
    /// </summary>
    /// <remarks>
    /// The free buffers of all sizes together are kept up to <see cref="MaxRetainedBytes"/> (at least one buffer of
    /// each size). A network build has tens of thousands of handshake heads in flight at once in each wave of links
    /// (about 18 MB of buffers at its peak): a bound of a mebibyte per size kept a few thousand of them, so every wave
    /// after the first allocated most of its buffers anew. <see cref="Trim"/> lets them all go once such a burst is
    /// over. A buffer's spare bytes past the segment's length are never read. The free buffers of a size are kept in a
    /// ChunkedStack: a stack of a hundred thousand of them in one array went on the large object heap mid-build.
    /// </remarks>
    sealed class SegmentBufferPool
    {
        const int SmallestShift = 5;                // 32 bytes: a Gnutella header and a short query
        /// <summary>The most bytes of free buffers kept, all sizes together.</summary>
        public const long MaxRetainedBytes = 32L << 20;
        readonly ChunkedStack<byte[]>[] _free = new ChunkedStack<byte[]>[32];
        long _retainedBytes;

        /// <summary>Bytes of free buffers the pool holds now.</summary>
        public long RetainedBytes => _retainedBytes;

        /// <summary>A buffer of at least <paramref name="length"/> bytes (a power of two).</summary>
        public byte[] Rent(int length)
        {
            int shift = ShiftFor(length);
            var free = _free[shift];
            if (free == null || free.Count == 0) return new byte[1 << shift];
            _retainedBytes -= 1 << shift;
            return free.Pop();
        }

        /// <summary>Takes back a buffer from <see cref="Rent"/>; it must not be used afterwards.</summary>
        public void Return(byte[] buffer)
        {
            int shift = ShiftFor(buffer.Length);
            if (1 << shift != buffer.Length) return;   // not one of ours
            var free = _free[shift] ?? (_free[shift] = new ChunkedStack<byte[]>());
            if (free.Count > 0 && _retainedBytes + buffer.Length > MaxRetainedBytes) return;
            free.Push(buffer);
            _retainedBytes += buffer.Length;
        }

        /// <summary>Lets every free buffer go (after a burst, such as a network's build, that will not come again soon).</summary>
        public void Trim()
        {
            for (int i = 0; i < _free.Length; i++) _free[i] = null;
            _retainedBytes = 0;
        }

        static int ShiftFor(int length)
        {
            int shift = SmallestShift;
            while ((1 << shift) < length) shift++;
            return shift;
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Threading;

namespace PSPeer.Engine.Content
{
    /// <summary>
    /// A bounded pool of equal-sized byte buffers, shared by every HTTP upload in the process: an upload rents its
    /// buffers while it sends and returns them after, so idle and queued connections hold none, and the pool keeps at
    /// most <see cref="MaxRetained"/> buffers however many uploads once ran. (ArrayPool is not in netstandard2.0
    /// without the System.Buffers package, which Windows PowerShell 5.1 would then have to load too.)
    /// </summary>
    public sealed class BufferPool
    {
        readonly ConcurrentBag<byte[]> _free = new ConcurrentBag<byte[]>();
        int _retained;
        int _rented;

        public BufferPool(int bufferSize, int maxRetained)
        {
            if (bufferSize < 1) throw new ArgumentOutOfRangeException(nameof(bufferSize));
            if (maxRetained < 0) throw new ArgumentOutOfRangeException(nameof(maxRetained));
            BufferSize = bufferSize;
            MaxRetained = maxRetained;
        }

        /// <summary>Shared by HTTP uploads: 64 KiB buffers (a 1 GiB file is 16,384 writes), at most 128 kept (8 MiB).</summary>
        public static BufferPool Uploads { get; } = new BufferPool(64 * 1024, 128);

        public int BufferSize { get; }
        public int MaxRetained { get; }
        /// <summary>Buffers out on loan now.</summary>
        public int Rented => Volatile.Read(ref _rented);

        public byte[] Rent()
        {
            Interlocked.Increment(ref _rented);
            if (_free.TryTake(out var buffer)) { Interlocked.Decrement(ref _retained); return buffer; }
            return new byte[BufferSize];
        }

        /// <summary>Gives a buffer back (null is ignored). Never return a buffer that an operation may still write into.</summary>
        public void Return(byte[] buffer)
        {
            if (buffer == null) return;
            Interlocked.Decrement(ref _rented);
            if (buffer.Length != BufferSize) return;
            if (Interlocked.Increment(ref _retained) > MaxRetained) { Interlocked.Decrement(ref _retained); return; }
            _free.Add(buffer);
        }
    }
}

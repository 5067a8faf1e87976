using System;
using System.Threading;

namespace PSPeer.Engine.Runtime.Simulated
{
    /// <summary>
    /// The simulation's pending work, taken in the order (due tick, then the order it was added), not thread-safe
    /// (SimulationScheduler locks around it). Work due at one tick is kept in batches, each a plain FIFO array; only
    /// the batches go into a 4-ary heap ordered by (due tick, sequence of the batch's first work).
    /// </summary>
    /// <remarks>
    /// Why batches: simulated time is coarse (every segment arrives one link latency later, every continuation is
    /// posted at the current tick), so thousands of items share a tick and adding or taking one is an append or a
    /// step of a FIFO instead of a sift through a heap of hundreds of thousands. And for the garbage collector: the
    /// one big heap array of work (on the large object heap, old) had a young reference written into it by every
    /// enqueue and every sift, so each young collection scanned it (card marking). Now the large arrays hold batches
    /// whose work is written once, while they are open, and a batch's array is small and mostly dies young.
    /// The order is exact: work is appended only to the newest batch of its tick (the open one), so the batches of one
    /// tick hold consecutive runs of it, ordered by their first sequence; within a batch, first in is first out.
    /// </remarks>
    sealed class WorkQueue
    {
        /// <summary>One item of work: a static callback and its state.</summary>
        internal struct Work
        {
            public SendOrPostCallback Callback;
            public object State;
        }

        /// <summary>Work due at one tick, in the order it was added: Items[Head..Tail).</summary>
        sealed class Batch
        {
            public long Due;
            public long Sequence;   // of its first work: orders the batches of one tick
            public Work[] Items;
            public int Head, Tail;
        }

        struct HeapEntry
        {
            public long Due;
            public long Sequence;
            public Batch Batch;
        }

        const int FirstBatchCapacity = 4;
        // 4,096 × 16 bytes: the largest array stays under the large object heap's 85,000 bytes; a tick with more work
        // than that gets another batch.
        const int MaxBatchCapacity = 4096;
        const int SizeClasses = 11;   // 4, 8, … 4,096
        // Emptied batches and their arrays are kept for the next ones, a few of each size (at most ~1 MiB in all): a
        // busy tick drains and refills its batch all the time, and each wave of a build fills thousands of entries at a
        // tick, which would otherwise grow fresh arrays, 4 to 4,096, every time. An array is cleared as it is drained,
        // so a spare holds no references.
        const int SparesPerSize = 8;
        const int MaxSpareBatches = 64;
        // The open batch of a tick is found through a small table indexed by the tick's hash; a miss (another tick in
        // the slot) only starts one more batch for the tick, which the order allows.
        const int OpenSlots = 64;

        public const int InitialCapacity = 1024;
        const int TrimFromCapacity = 64 * 1024;

        HeapEntry[] _heap = new HeapEntry[InitialCapacity];
        int _batches;
        int _count;
        long _nextSequence;
        readonly Batch[] _open = new Batch[OpenSlots];
        readonly Batch[] _spareBatches = new Batch[MaxSpareBatches];
        int _spareBatchCount;
        readonly Work[][][] _spareArrays = new Work[SizeClasses][][];
        readonly int[] _spareArrayCounts = new int[SizeClasses];

        /// <summary>How much work is queued.</summary>
        public int Count => _count;

        /// <summary>The length of the batch heap's array (for tests of its trimming).</summary>
        public int Capacity => _heap.Length;

        /// <summary>The entries of the spare arrays kept for reuse, all sizes together (for tests).</summary>
        public long SpareEntries
        {
            get
            {
                long entries = 0;
                for (int size = 0; size < SizeClasses; size++) entries += (long)_spareArrayCounts[size] * (FirstBatchCapacity << size);
                return entries;
            }
        }

        /// <summary>How many batches are queued (for tests).</summary>
        public int BatchCount => _batches;

        /// <summary>The due tick of the first work; only when <see cref="Count"/> is not 0.</summary>
        public long FirstDue => _heap[0].Due;

        public void Add(long due, SendOrPostCallback callback, object state)
        {
            long sequence = _nextSequence++;
            int slot = Slot(due);
            var batch = _open[slot];
            if (batch == null || batch.Due != due || !Room(batch))
            {
                batch = NewBatch(due, sequence);
                _open[slot] = batch;
                Push(batch);
            }
            batch.Items[batch.Tail++] = new Work { Callback = callback, State = state };
            _count++;
        }

        /// <summary>Takes the first work (Count must not be 0) and says when it is due.</summary>
        public Work Take(out long due)
        {
            var batch = _heap[0].Batch;
            due = batch.Due;
            ref var slot = ref batch.Items[batch.Head++];
            var work = slot;
            slot = default;
            _count--;
            if (batch.Head == batch.Tail)
            {
                PopTop();
                Retire(batch);
            }
            return work;
        }

        /// <summary>
        /// Drops every queued work for which <paramref name="drop"/> holds; the rest keeps its order. Batches left
        /// empty go, and the heap is rebuilt.
        /// </summary>
        public void RemoveWhere(Func<object, bool> drop)
        {
            int keptBatches = 0;
            for (int i = 0; i < _batches; i++)
            {
                var batch = _heap[i].Batch;
                int kept = batch.Head;
                for (int j = batch.Head; j < batch.Tail; j++)
                {
                    var work = batch.Items[j];
                    if (drop(work.State)) continue;
                    batch.Items[kept++] = work;
                }
                Array.Clear(batch.Items, kept, batch.Tail - kept);
                _count -= batch.Tail - kept;
                batch.Tail = kept;
                if (batch.Head == batch.Tail) Retire(batch);
                else _heap[keptBatches++] = _heap[i];
            }
            Array.Clear(_heap, keptBatches, _batches - keptBatches);
            _batches = keptBatches;
            // Floyd's heap construction: every parent from the last one up sifts down. A batch's key never changes,
            // and those of one tick are still ordered by their first sequence.
            for (int i = (_batches - 2) >> 2; i >= 0; i--) SiftDown(i, _heap[i]);
        }

        // A large heap array sixteen times longer than the batches still queued is cut to four times them: a burst of
        // distinct ticks (timers) grows it, and it would stay that long for the whole simulation. Only a large one,
        // only with that much slack, so work that comes in waves does not reallocate it every time.
        public void TrimIfMostlyEmpty()
        {
            if (_heap.Length < TrimFromCapacity || (long)_batches * 16 > _heap.Length) return;
            int length = InitialCapacity;
            while (length < _batches * 4) length *= 2;
            Array.Resize(ref _heap, length);
        }

        /// <summary>
        /// Lets the spare arrays of more than 256 entries go (as a run ends): the large ones serve the bursts inside a
        /// run (a wave of a build), and kept between runs they would be up to a mebibyte held for nothing.
        /// </summary>
        public void ReleaseLargeSpares()
        {
            for (int size = SizeClass(SmallSpareLimit) + 1; size < SizeClasses; size++)
            {
                if (_spareArrays[size] == null) continue;
                Array.Clear(_spareArrays[size], 0, _spareArrayCounts[size]);
                _spareArrayCounts[size] = 0;
            }
        }

        const int SmallSpareLimit = 256;

        static int Slot(long due) => (int)((ulong)(due * unchecked((long)0x9E3779B97F4A7C15)) >> 58);   // top 6 bits: OpenSlots

        /// <summary>Whether the batch can take one more (growing its array if it may, or moving its work to the front).</summary>
        bool Room(Batch batch)
        {
            var items = batch.Items;
            if (batch.Tail < items.Length) return true;
            int live = batch.Tail - batch.Head;
            if (batch.Head >= items.Length / 2)
            {
                // Drained at the front as fast as it is filled at the back (the current tick): slide, do not grow.
                Array.Copy(items, batch.Head, items, 0, live);
                Array.Clear(items, live, batch.Tail - live);
                batch.Head = 0;
                batch.Tail = live;
                return true;
            }
            if (items.Length >= MaxBatchCapacity) return false;
            var grown = RentArray(items.Length * 2);
            Array.Copy(items, batch.Head, grown, 0, live);
            Array.Clear(items, batch.Head, live);
            ReturnArray(items);
            batch.Items = grown;
            batch.Head = 0;
            batch.Tail = live;
            return true;
        }

        static int SizeClass(int capacity) => 29 - LeadingZeros(capacity);   // 4 → 0, 8 → 1, … 4,096 → 10

        static int LeadingZeros(int value)
        {
            int n = 0;
            for (uint v = (uint)value; (v & 0x80000000u) == 0; v <<= 1) n++;
            return n;
        }

        Work[] RentArray(int capacity)
        {
            int size = SizeClass(capacity);
            var spares = _spareArrays[size];
            if (_spareArrayCounts[size] == 0) return new Work[capacity];
            int last = --_spareArrayCounts[size];
            var array = spares[last];
            spares[last] = null;
            return array;
        }

        /// <summary>Keeps an array whose entries are all cleared, if there is room for its size.</summary>
        void ReturnArray(Work[] array)
        {
            int size = SizeClass(array.Length);
            var spares = _spareArrays[size] ?? (_spareArrays[size] = new Work[SparesPerSize][]);
            if (_spareArrayCounts[size] < SparesPerSize) spares[_spareArrayCounts[size]++] = array;
        }

        Batch NewBatch(long due, long sequence)
        {
            Batch batch;
            if (_spareBatchCount > 0)
            {
                batch = _spareBatches[--_spareBatchCount];
                _spareBatches[_spareBatchCount] = null;
            }
            else batch = new Batch();
            batch.Items = RentArray(FirstBatchCapacity);
            batch.Due = due;
            batch.Sequence = sequence;
            batch.Head = batch.Tail = 0;
            return batch;
        }

        /// <summary>An empty batch leaves the open table (nothing may be added to it now); it and its array are kept for reuse.</summary>
        void Retire(Batch batch)
        {
            int slot = Slot(batch.Due);
            if (_open[slot] == batch) _open[slot] = null;
            ReturnArray(batch.Items);
            batch.Items = null;
            if (_spareBatchCount < MaxSpareBatches) _spareBatches[_spareBatchCount++] = batch;
        }

        void Push(Batch batch)
        {
            if (_batches == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
            SiftUp(_batches++, new HeapEntry { Due = batch.Due, Sequence = batch.Sequence, Batch = batch });
        }

        void PopTop()
        {
            var last = _heap[--_batches];
            _heap[_batches] = default;
            if (_batches > 0) SiftDown(0, last);
        }

        static bool Less(in HeapEntry a, in HeapEntry b) => a.Due < b.Due || (a.Due == b.Due && a.Sequence < b.Sequence);

        void SiftUp(int index, HeapEntry entry)
        {
            while (index > 0)
            {
                int parent = (index - 1) >> 2;
                if (!Less(entry, _heap[parent])) break;
                _heap[index] = _heap[parent];
                index = parent;
            }
            _heap[index] = entry;
        }

        void SiftDown(int index, HeapEntry entry)
        {
            while (true)
            {
                int first = 4 * index + 1;
                if (first >= _batches) break;
                int last = Math.Min(first + 4, _batches);
                int child = first;
                for (int c = first + 1; c < last; c++)
                    if (Less(_heap[c], _heap[child])) child = c;
                if (!Less(_heap[child], entry)) break;
                _heap[index] = _heap[child];
                index = child;
            }
            _heap[index] = entry;
        }
    }
}
